package dev.switchboard.cli;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineIoListener;
import dev.switchboard.engineio.EngineIoConnection;
import dev.switchboard.engineio.SessionHandler;

/**
 * The Engine.IO test application that the official engine.io-protocol suite and our own client
 * scenarios expect: every message comes back unchanged, text or binary. The one extra command,
 * the text {@code __server_close__}, makes the server close the session (for the scenarios that
 * test a server-initiated close); it is not echoed.
 */
public final class EchoApplication implements EngineIoListener {
  public static final String CLOSE_COMMAND = "__server_close__";

  @Override
  public void onConnection(EngineIoConnection session) {
    session.setHandler(new SessionHandler() {
      @Override
      public void onMessage(String text) {
        if (CLOSE_COMMAND.equals(text)) session.close();
        else session.send(text);
      }

      @Override
      public void onBinary(byte[] data) {
        session.send(data);
      }

      @Override
      public void onClose(CloseReason reason, String description) { }
    });
  }
}
