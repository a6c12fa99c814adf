package io.tokman.token;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
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
 * @param databaseLock whether a renewal also locks the repository's row in the database,
 * so that replicas sharing it mint each token once (on by default on PostgreSQL); off, a
 * renewal claims a lease on the row instead, which SQLite files shared by processes use
 * @param cacheSize how many repositories' fresh tokens are kept in memory, so that
 * requests for them read no database; also bounds how many repositories refresh-ahead
 * follows
 * @param cacheTtl how long a token is served from memory before the database is read
 * again, which bounds how long a replica serves a token another replica dropped
 * @param lockTimeout how long a request waits for another request's renewal of the same
 * repository before it gives up with a 503, in this process and, with the database lock,
 * at the database
 * @param refreshAhead renewing active repositories' tokens in the background
 * @param reportTimeout how long a worker may take to send the body of an invalidation
 * report; a slower one gets a 408
 * @param invalidateMinAge a token reported invalid within this time of its mint is not
 * replaced: GitHub takes a few seconds to accept a new token everywhere, and another new
 * one would fare no better; the worker gets a 503 with Retry-After. 0 turns it off
 * @param scope what a repository's token covers: {@code repository}, the repository asked
 * for alone, or {@code installation}, every repository of the installation as the
 * original tokman minted ({@code TOKMAN_TOKEN_SCOPE})
 * @param keepExpired a stored token that expired this long ago (nobody has asked for it
 * since) is deleted, with its row, by a job every ten minutes; so are rows without a
 * token
 * @param databaseTimeout how long a request waits for the database to read a token
 * (connection and query together); one that does not answer in time is taken as down
 * until a probe a second finds it back: tokens held in memory are served meanwhile,
 * others get a 503 with Retry-After
 * @param encryptionKey a file of at least 32 random bytes from which the key sealing
 * stored tokens is derived; unset, it is derived from the App's private key
 * @param auditSummaryInterval how often the audit trail sums up the tokens served again
 * (a token handed to a client from an address a second time); 0 only as tokman stops
 */
@Validated
@ConfigurationProperties(prefix = "tokman.token", ignoreUnknownFields = false)
record TokenProperties(@DefaultValue("60") @NotNull @DurationUnit(ChronoUnit.SECONDS) Duration renewAt,
		@DefaultValue("false") boolean databaseLock, @DefaultValue("10000") @Min(1) long cacheSize,
		@DefaultValue("30s") Duration cacheTtl, @DefaultValue("30s") Duration lockTimeout,
		@DefaultValue @Valid RefreshAhead refreshAhead, @DefaultValue("10s") Duration reportTimeout,
		@DefaultValue("10s") Duration invalidateMinAge, @DefaultValue("repository") Scope scope,
		@DefaultValue("1d") Duration keepExpired, @DefaultValue("2s") Duration databaseTimeout, Path encryptionKey,
		@DefaultValue("1m") Duration auditSummaryInterval) {

	/** What a repository's token covers. */
	public enum Scope {

		/** The repository asked for alone. */
		REPOSITORY,

		/**
		 * Every repository of the installation that covers it, as the original tokman.
		 */
		INSTALLATION

	}

	/**
	 * Refresh-ahead: a token of a repository requested within {@code activeFor} is
	 * renewed in the background once it enters the renew window, and until then, requests
	 * inside the first half of the window get the token held rather than wait on GitHub.
	 *
	 * @param enabled whether tokens are renewed in the background
	 * @param interval how often the background looks for tokens to renew
	 * @param batch at most this many renewals per round; the rest wait for the next
	 * @param concurrency how many of a round's renewals run at once
	 * @param activeFor a repository nobody asked for within this time is left alone; by
	 * default GitHub's token lifetime
	 */
	public record RefreshAhead(@DefaultValue("true") boolean enabled, @DefaultValue("1s") Duration interval,
			@DefaultValue("100") @Min(1) int batch, @DefaultValue("8") @Min(1) int concurrency,
			@DefaultValue("1h") Duration activeFor) {

	}

}
