package dev.switchboard.engineio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link SessionCookie}: the header Node's {@code cookie} option writes, and what a cookie may not hold. */
class SessionCookieTest {
  @Test
  void theDefaultIsNodesCookieTrue() {
    assertEquals("io=AbC-_12; Path=/; HttpOnly; SameSite=Lax", SessionCookie.DEFAULT.headerValue("AbC-_12"));
    assertNull(EngineIoOptions.DEFAULTS.cookie(), "off by default, as in Engine.IO v4");
  }

  @Test
  void everyAttributeInTheOrderNodesCookiePackageWritesThem() {
    SessionCookie c = new SessionCookie("SERVERID", "/chat", "example.com", Duration.ofHours(1), true, true, "None");
    assertEquals("SERVERID=s1; Max-Age=3600; Domain=example.com; Path=/chat; HttpOnly; Secure; SameSite=None",
        c.headerValue("s1"));
    assertEquals("io=s1", new SessionCookie("io", null, null, null, false, false, null).headerValue("s1"));
    assertEquals("sticky=s1; Path=/; HttpOnly; Secure; SameSite=Lax",
        SessionCookie.DEFAULT.withName("sticky").withSecure(true).headerValue("s1"));
  }

  @Test
  void aNameThatIsNotATokenOrAnAttributeThatCouldEndTheHeaderIsRefused() {
    for (String name : new String[] {"", "a b", "a;b", "a=b", "é", "a\r\nX: y"}) {
      assertThrows(IllegalArgumentException.class, () -> SessionCookie.DEFAULT.withName(name), name);
    }
    assertThrows(IllegalArgumentException.class, () -> new SessionCookie("io", "/; Domain=evil", null, null, true, false, null));
    assertThrows(IllegalArgumentException.class, () -> new SessionCookie("io", "/", "a\nb", null, true, false, null));
    assertThrows(IllegalArgumentException.class, () -> new SessionCookie("io", "/", null, Duration.ofSeconds(-1), true, false, null));
    assertThrows(IllegalArgumentException.class, () -> new SessionCookie("io", "/", null, null, true, false, "lax"));
  }

  @Test
  void theOptionIsPartOfTheOptionsValue() {
    EngineIoOptions on = EngineIoOptions.builder().cookie(SessionCookie.DEFAULT).build();
    assertEquals(SessionCookie.DEFAULT, on.cookie());
    assertEquals(on, on.toBuilder().build());
    assertEquals(on.hashCode(), on.toBuilder().build().hashCode());
    assertEquals(false, on.equals(EngineIoOptions.DEFAULTS));
  }
}
