package io.tokman;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Mints GitHub App installation tokens once per repository and hands them to every worker that asks. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TokmanApplication {

	public static void main(String[] args) {
		SpringApplication.run(TokmanApplication.class, args);
	}

}
