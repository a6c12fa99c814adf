package io.tokman.token;

import java.sql.DatabaseMetaData;
import java.time.Clock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.github.AppKeys;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.transaction.PlatformTransactionManager;

/** Chooses how renewals are coordinated, and the renewal rule. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenProperties.class)
class TokenConfiguration {

	@Bean
	TokenStore tokenStore(@Lazy StoredTokenRepository tokens, TokenProperties properties,
			PlatformTransactionManager transactionManager, DataSource dataSource, UnsavedTokens unsaved, Clock clock,
			TokenCipher cipher) throws MetaDataAccessException {
		if (!properties.databaseLock()) {
			return new LeaseTokenStore(tokens, unsaved, clock, properties.lockTimeout(), cipher);
		}
		String database = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
		return new RowLockTokenStore(tokens, transactionManager, properties.lockTimeout(),
				"PostgreSQL".equals(database), unsaved, cipher);
	}

	@Bean
	TokenCipher tokenCipher(AppKeys appKeys, TokenProperties properties) {
		return new TokenCipher(appKeys, properties.encryptionKey());
	}

	@Bean
	RenewalRule renewalRule(Clock clock, TokenProperties properties) {
		return new RenewalRule(clock, properties.renewAt(), properties.refreshAhead().enabled());
	}

	@Bean
	RepositoryLocks repositoryLocks(TokenProperties properties, MeterRegistry registry) {
		RepositoryLocks locks = new RepositoryLocks(properties.lockTimeout());
		Gauge.builder("tokman.renewals.waiting", locks, RepositoryLocks::waiting)
			.description("Requests waiting for another request's renewal of the same repository")
			.register(registry);
		return locks;
	}

}
