package io.github.kubecontroller.runtime.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Terminates TLS in front of the emulator, which speaks plain HTTP, so that tests can exercise https URLs, CA
 * files and the in-cluster configuration. Its certificate is self-signed for {@code 127.0.0.1}; {@link #caPem()}
 * is what a client must trust.
 */
final class TlsProxy implements AutoCloseable {

	private final int targetPort;

	private final ServerSocket server;

	private final byte[] caPem;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private TlsProxy(int targetPort) throws Exception {
		this.targetPort = targetPort;
		KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
		X509Certificate certificate = selfSigned(keys);
		this.caPem = pem(certificate);
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		keyStore.load(null, null);
		char[] password = "proxy".toCharArray();
		keyStore.setKeyEntry("proxy", keys.getPrivate(), password, new X509Certificate[] { certificate });
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(keyStore, password);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers.getKeyManagers(), null, null);
		this.server = context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "tls-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** Starts a proxy that forwards to {@code 127.0.0.1:targetPort}. */
	static TlsProxy start(int targetPort) throws Exception {
		return new TlsProxy(targetPort);
	}

	int port() {
		return server.getLocalPort();
	}

	String url() {
		return "https://127.0.0.1:" + port();
	}

	/** The PEM certificate to trust. */
	byte[] caPem() {
		return caPem.clone();
	}

	@Override
	public void close() throws IOException {
		server.close();
		for (Socket socket : sockets) {
			socket.close();
		}
	}

	private void accept() {
		while (!server.isClosed()) {
			try {
				Socket client = server.accept();
				sockets.add(client);
				Socket target;
				try {
					target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
				}
				catch (IOException ex) {
					closeQuietly(client);
					continue;
				}
				sockets.add(target);
				pump(client, target);
				pump(target, client);
			}
			catch (IOException ex) {
				// closed, or one connection failed: the client sees its connection end
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				for (int read; (read = in.read(buffer)) >= 0;) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// a side closed: closing both below ends the other direction
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "tls-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private void closeQuietly(Socket socket) {
		sockets.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	private static X509Certificate selfSigned(KeyPair keys) throws Exception {
		X500Name name = new X500Name("CN=kube-controller test API server");
		Instant now = Instant.now();
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
				BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofMinutes(5))),
				Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
		builder.addExtension(Extension.subjectAlternativeName, false,
				new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
		return new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
	}

	private static byte[] pem(X509Certificate certificate) throws Exception {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(certificate.getEncoded());
		return ("-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n")
			.getBytes(StandardCharsets.US_ASCII);
	}
}
