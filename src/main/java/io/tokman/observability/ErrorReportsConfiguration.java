package io.tokman.observability;

import io.tokman.config.BuildVersion;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Sentry, if {@code SENTRY_DSN} says where; decided at run time, so in AOT mode too. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SentryProperties.class)
class ErrorReportsConfiguration {

	@Bean
	ErrorReports errorReports(SentryProperties properties, ObjectProvider<BuildProperties> build) {
		return new ErrorReports(properties, BuildVersion.of(build));
	}

}
