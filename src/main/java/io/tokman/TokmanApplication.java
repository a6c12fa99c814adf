package io.tokman;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;
import org.springframework.context.annotation.Bean;

/**
 * Mints GitHub App installation tokens once per repository and hands them to every worker
 * that asks.
 */
@SpringBootApplication
public class TokmanApplication {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(TokmanApplication.class);
		// The image's health check reads the port from there: BIND_ADDR may come from a
		// file.
		if (System.getenv("PORTFILE") != null) {
			application.addListeners(new WebServerPortFileWriter());
		}
		application.run(args);
	}

	/** The one source of time: tests replace it, nothing calls {@code Instant.now()}. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
