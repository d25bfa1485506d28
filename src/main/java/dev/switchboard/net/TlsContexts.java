package dev.switchboard.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Server {@link SSLContext}s from the two formats operators have: a PEM certificate chain plus a
 * PKCS#8 PEM private key (what Let's Encrypt and {@code openssl genpkey} produce), or a PKCS#12
 * store. Only TLS 1.2 and 1.3 are enabled (the JDK 17 defaults).
 */
public final class TlsContexts {
  private TlsContexts() {}

  /** A context from a PKCS#12 store holding the key and its certificate chain. */
  public static SSLContext fromPkcs12(Path store, char[] password) throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, password);
    }
    return context(ks, password);
  }

  /**
   * A context from a PEM certificate chain and an unencrypted PKCS#8 PEM key (RSA, EC or
   * Ed25519); the error for any other key format says how to convert it, without echoing it.
   */
  public static SSLContext fromPem(Path certificateChain, Path privateKey) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> chain;
    try (InputStream in = Files.newInputStream(certificateChain)) {
      chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (chain.isEmpty()) throw new GeneralSecurityException("no certificate in " + certificateChain.getFileName());
    PrivateKey key = readPkcs8(Files.readString(privateKey, StandardCharsets.US_ASCII));
    char[] pass = new char[0];
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", key, pass, chain.toArray(new Certificate[0]));
    return context(ks, pass);
  }

  private static PrivateKey readPkcs8(String pem) throws GeneralSecurityException {
    String begin = "-----BEGIN PRIVATE KEY-----";
    int b = pem.indexOf(begin);
    int e = pem.indexOf("-----END PRIVATE KEY-----");
    if (b < 0 || e < b) {
      // Never echo the file: it is a secret.
      throw new GeneralSecurityException("the key file is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY); "
          + "convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String alg : new String[] {"RSA", "EC", "Ed25519", "EdDSA"}) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException ignored) {
        // try the next algorithm
      }
    }
    throw new GeneralSecurityException("unsupported private key algorithm");
  }

  private static SSLContext context(KeyStore ks, char[] password) throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
