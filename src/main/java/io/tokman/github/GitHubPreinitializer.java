package io.tokman.github;

import io.jsonwebtoken.Jwts;
import okhttp3.OkHttpClient;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Does, on a thread of its own as tokman starts, what the GitHub client's first use
 * costs: loading the JDK's trust store for TLS, and the key parser's and the JWT
 * library's classes (BouncyCastle's jars are signed, so the AOT cache cannot hold them).
 * The main thread then finds them done, as Spring Boot's own BackgroundPreinitializer
 * does for its libraries; if anything here fails, the main thread does it again and
 * reports it.
 */
final class GitHubPreinitializer implements ApplicationListener<ApplicationStartingEvent> {

	@Override
	public void onApplicationEvent(ApplicationStartingEvent event) {
		Thread thread = new Thread(GitHubPreinitializer::preinitialize, "tokman-preinitializer");
		thread.setDaemon(true);
		thread.start();
	}

	private static void preinitialize() {
		try {
			new OkHttpClient.Builder().build();
			new JcaPEMKeyConverter();
			Class.forName(PEMParser.class.getName());
			Jwts.builder();
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			// Only a head start: the main thread does the same and reports any failure.
		}
	}

}
