package io.tokman.observability;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/** The log's queue ({@link LogQueue}) and the count of the lines it dropped. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LogProperties.class)
class LogConfiguration {

	@Bean
	MeterBinder droppedLogLines() {
		return (registry) -> FunctionCounter
			.builder("tokman.log.lines.dropped", LogQueue.class, (type) -> LogQueue.dropped())
			.description(
					"Log lines dropped because the log's reader fell behind (never warnings, errors or audit lines)")
			.register(registry);
	}

	/**
	 * Puts Spring Boot's console behind the queue as soon as Spring Boot has set logging
	 * up, before anything else logs. A malformed size is left to the settings' binding,
	 * which stops startup naming it.
	 */
	static final class Install implements GenericApplicationListener {

		@Override
		public boolean supportsEventType(ResolvableType type) {
			return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type.toClass());
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
				install(((ApplicationEnvironmentPreparedEvent) event).getEnvironment(), context);
			}
		}

		static void install(Environment environment, LoggerContext context) {
			int size;
			try {
				// The record's own default when unset.
				size = Binder.get(environment).bindOrCreate("tokman.log", LogProperties.class).queueSize();
			}
			catch (RuntimeException ex) {
				return;
			}
			if (size >= 0) {
				LogQueue.install(context, size);
			}
		}

		@Override
		public int getOrder() {
			return LoggingApplicationListener.DEFAULT_ORDER + 1;
		}

	}

}
