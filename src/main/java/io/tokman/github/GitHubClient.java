package io.tokman.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonProperty;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * The two GitHub endpoints tokman needs, each returning a value or throwing a named
 * failure. Server errors and network failures are retried with backoff inside a deadline;
 * a rate limit stops all calls until GitHub's reset time; a JWT rejected for clock skew
 * is signed again on GitHub's clock, once.
 */
public final class GitHubClient {

	private static final int MAX_MESSAGE = 200;

	/**
	 * Without a Retry-After, GitHub asks clients to wait at least a minute after a
	 * secondary rate limit.
	 */
	private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

	private final OkHttpClient http;

	private final HttpUrl api;

	private final AppJwt jwt;

	private final JsonMapper json;

	private final String userAgent;

	private final Clock clock;

	private final RetryTemplate retry;

	private final AtomicReference<Instant> limitedUntil = new AtomicReference<>(Instant.MIN);

	public GitHubClient(OkHttpClient http, HttpUrl api, AppJwt jwt, JsonMapper json, String userAgent, Clock clock,
			RetryPolicy retryPolicy) {
		this.http = http;
		this.api = api;
		this.jwt = jwt;
		this.json = json;
		this.userAgent = userAgent;
		this.clock = clock;
		this.retry = new RetryTemplate(retryPolicy);
	}

	/**
	 * Retries what may succeed on a second try: GitHub's 5xx answers and failures to
	 * reach it.
	 */
	public static RetryPolicy retryPolicy(long retries, Duration delay, Duration deadline) {
		return RetryPolicy.builder()
			.maxRetries(retries)
			.delay(delay)
			.multiplier(2)
			.jitter(delay.dividedBy(2))
			.maxDelay(delay.multipliedBy(16))
			.timeout(deadline)
			.predicate((failure) -> failure instanceof GitHubUnavailableException
					|| (failure instanceof GitHubException github && github.status() >= 500))
			.build();
	}

	/** Mints a new installation token for the installation that covers the repository. */
	public InstallationToken mintToken(RepositoryName repository) {
		return mintToken(repository, null);
	}

	/**
	 * Mints a new installation token; with the installation id remembered from the last
	 * mint, that is one call to GitHub instead of two. If that installation is gone (the
	 * App was reinstalled), it is looked up again.
	 */
	public InstallationToken mintToken(RepositoryName repository, Long knownInstallation) {
		if (knownInstallation != null) {
			try {
				return createToken(repository, knownInstallation);
			}
			catch (AppNotInstalledException ex) {
				// Look the installation up afresh below; it answers "not installed" if
				// that is still so.
			}
		}
		return createToken(repository, installationId(repository));
	}

	long installationId(RepositoryName repository) {
		HttpUrl url = this.api.newBuilder()
			.addPathSegment("repos")
			.addPathSegment(repository.namespace())
			.addPathSegment(repository.repository())
			.addPathSegment("installation")
			.build();
		Installation installation = call("installation lookup", repository, () -> request(url).get(),
				Installation.class);
		if (installation.id() == null) {
			throw new GitHubException(200, "GitHub's answer to the installation lookup lacks the id");
		}
		return installation.id();
	}

	InstallationToken createToken(RepositoryName repository, long installationId) {
		HttpUrl url = this.api.newBuilder()
			.addPathSegments("app/installations")
			.addPathSegment(Long.toString(installationId))
			.addPathSegment("access_tokens")
			.build();
		AccessTokenAnswer answer = call("token request", repository, () -> request(url).post(RequestBody.EMPTY),
				AccessTokenAnswer.class);
		if (answer.token() == null || answer.token().isBlank() || answer.expiresAt() == null) {
			throw new GitHubException(201, "GitHub's answer to the token request lacks "
					+ ((answer.expiresAt() == null) ? "expires_at" : "the token"));
		}
		if (!answer.expiresAt().isAfter(this.clock.instant())) {
			throw new GitHubException(201, "GitHub's new token expires in the past (" + answer.expiresAt() + ")");
		}
		return new InstallationToken(answer.token(), answer.expiresAt(), installationId);
	}

	private <T> T call(String endpoint, RepositoryName repository, Supplier<Request.Builder> request, Class<T> type) {
		try {
			return this.retry.execute(() -> {
				try {
					return callOnce(endpoint, repository, request, type);
				}
				catch (ClockSkewException ex) {
					this.jwt.correctClock(ex.offset());
					return callOnce(endpoint, repository, request, type);
				}
			});
		}
		catch (RetryException ex) {
			if (ex.getCause() instanceof RuntimeException last) {
				throw last;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private <T> T callOnce(String endpoint, RepositoryName repository, Supplier<Request.Builder> request,
			Class<T> type) {
		Instant until = this.limitedUntil.get();
		if (this.clock.instant().isBefore(until)) {
			throw new RateLimitedException(until, Duration.between(this.clock.instant(), until));
		}
		Request call = request.get().header("Authorization", "Bearer " + this.jwt.get()).build();
		try (Response response = this.http.newCall(call).execute()) {
			String body = response.body().string();
			int status = response.code();
			if (response.isSuccessful()) {
				return parse(body, type, endpoint, status);
			}
			if (status == 404) {
				throw new AppNotInstalledException(repository);
			}
			String message = message(body);
			if (status == 403 || status == 429) {
				rateLimit(response, message);
			}
			if (status == 401 && (message.contains("'iat'") || message.contains("'exp'"))) {
				Duration offset = offset(response);
				if (offset != null) {
					throw new ClockSkewException(message, offset);
				}
			}
			throw new GitHubException(status,
					"GitHub answered " + status + " to the " + endpoint + (message.isEmpty() ? "" : ": " + message));
		}
		catch (IOException ex) {
			throw new GitHubUnavailableException(endpoint, ex);
		}
	}

	/**
	 * Records how long GitHub wants tokman to wait, if this 403 or 429 is a rate limit,
	 * and says so.
	 */
	private void rateLimit(Response response, String message) {
		Instant now = this.clock.instant();
		Instant until = null;
		String retryAfter = response.header("Retry-After");
		String remaining = response.header("X-RateLimit-Remaining");
		String reset = response.header("X-RateLimit-Reset");
		if (retryAfter != null && retryAfter.matches("\\d{1,6}")) {
			until = now.plusSeconds(Long.parseLong(retryAfter));
		}
		else if ("0".equals(remaining) && reset != null && reset.matches("\\d{1,12}")) {
			until = Instant.ofEpochSecond(Long.parseLong(reset));
		}
		else if (message.toLowerCase(Locale.ROOT).contains("rate limit")) {
			until = now.plus(SECONDARY_LIMIT_WAIT);
		}
		if (until != null) {
			Instant limit = until.isAfter(now) ? until : now.plusSeconds(1);
			this.limitedUntil.accumulateAndGet(limit, (a, b) -> a.isAfter(b) ? a : b);
			throw new RateLimitedException(limit, Duration.between(now, limit));
		}
	}

	/** How far GitHub's clock is ahead of tokman's, from its Date header. */
	private Duration offset(Response response) {
		String date = response.header("Date");
		if (date == null) {
			return null;
		}
		try {
			Instant gitHubNow = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			return Duration.between(this.clock.instant(), gitHubNow);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private Request.Builder request(HttpUrl url) {
		return new Request.Builder().url(url)
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28")
			.header("User-Agent", this.userAgent);
	}

	private <T> T parse(String body, Class<T> type, String endpoint, int status) {
		try {
			return this.json.readValue(body, type);
		}
		catch (JacksonException ex) {
			throw new GitHubException(status, "GitHub's answer to the " + endpoint + " is not the JSON expected");
		}
	}

	/** GitHub's own explanation, if it gave one; it never repeats credentials. */
	private String message(String body) {
		try {
			String message = this.json.readTree(body).path("message").asString("");
			return (message.length() > MAX_MESSAGE) ? message.substring(0, MAX_MESSAGE) + "..." : message;
		}
		catch (JacksonException ex) {
			return "";
		}
	}

	@Override
	public String toString() {
		return "GitHubClient[" + this.api + "]";
	}

	private record Installation(Long id) {

	}

	private record AccessTokenAnswer(String token, @JsonProperty("expires_at") Instant expiresAt) {

		@Override
		public String toString() {
			return "AccessTokenAnswer[token=<redacted>, expiresAt=" + this.expiresAt + "]";
		}

	}

	/**
	 * GitHub rejected the JWT's times; signing it again on GitHub's clock may fix that.
	 */
	private static final class ClockSkewException extends GitHubException {

		private final transient Duration offset;

		ClockSkewException(String message, Duration offset) {
			super(401, "GitHub rejected the App JWT's times (" + message + "); tokman's clock is off by "
					+ offset.toSeconds() + " s");
			this.offset = offset;
		}

		Duration offset() {
			return this.offset;
		}

	}

}
