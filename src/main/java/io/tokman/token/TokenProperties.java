package io.tokman.token;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * When tokens are renewed.
 *
 * @param renewAt a stored token is renewed once it expires within this time; plain
 * numbers are seconds ({@code TOKEN_RENEW_AT})
 * @param namespaces the namespaces tokman serves, case-insensitively; any other gets a
 * 403. None means all ({@code TOKMAN_NAMESPACES}, comma-separated)
 * @param databaseLock whether a renewal also locks the repository's row in the database,
 * so that replicas sharing it mint each token once; on by default on PostgreSQL
 * @param cacheSize how many repositories' fresh tokens are kept in memory, so that
 * requests for them read no database
 * @param cacheTtl how long a token is served from memory before the database is read
 * again, which bounds how long a replica serves a token another replica dropped
 * @param lockTimeout how long a request waits for another request's renewal of the same
 * repository before it gives up with a 503, in this process and, with the database lock,
 * at the database
 */
@Validated
@ConfigurationProperties("tokman.token")
public record TokenProperties(@NotNull @DurationUnit(ChronoUnit.SECONDS) Duration renewAt,
		@DefaultValue List<String> namespaces, @DefaultValue("false") boolean databaseLock,
		@DefaultValue("10000") long cacheSize, @DefaultValue("30s") Duration cacheTtl,
		@DefaultValue("30s") Duration lockTimeout) {

}
