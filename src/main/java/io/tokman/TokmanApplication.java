package io.tokman;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Mints GitHub App installation tokens once per repository and hands them to every worker
 * that asks.
 */
@SpringBootApplication
public class TokmanApplication {

	public static void main(String[] args) {
		SpringApplication.run(TokmanApplication.class, args);
	}

}
