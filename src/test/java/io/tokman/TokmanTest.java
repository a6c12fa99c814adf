package io.tokman;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole tokman on a random port, against the shared GitHub simulator and clock. Every
 * class that uses it shares one Spring context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "tokman.github.call-timeout=2s", "tokman.github.retry-delay=5ms",
				"tokman.token.refresh-ahead.interval=1h", "tokman.token.report-timeout=2s",
				// Tests report tokens the moment they are minted; TokenServiceTests
				// covers the minimum age.
				"tokman.token.invalidate-min-age=0",
				// Budgets count on the test clock, which a whole run keeps within a few
				// hours; BackgroundBudgetTests and TokenServiceTests cover them.
				"tokman.access.github-budget.mints=0",
				// Tests make GitHub fail on purpose, one repository at a time;
				// GitHubOutageTests covers the circuit.
				"tokman.github.circuit-pause=0" })
@ContextConfiguration(initializers = TestEnvironment.class)
@Import(TokmanTest.TestClock.class)
public @interface TokmanTest {

	@TestConfiguration(proxyBeanMethods = false)
	class TestClock {

		@Bean
		@Primary
		Clock testClock() {
			return TestEnvironment.CLOCK;
		}

	}

}
