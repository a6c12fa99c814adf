package io.tokman.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * The two GitHub endpoints tokman needs, each returning a value or throwing a
 * {@link GitHubException} named for the failure. Server errors and network failures are
 * retried with backoff inside a deadline; a rate limit stops all calls until GitHub's
 * reset time; a JWT rejected for clock skew is signed again on GitHub's clock, once.
 */
public final class GitHubClient {

	private final OkHttpClient http;

	private final HttpUrl api;

	private final AppJwt jwt;

	private final String userAgent;

	private final Clock clock;

	private final RetryTemplate retry;

	private final RateLimit rateLimit;

	private final Answers answers;

	public GitHubClient(OkHttpClient http, HttpUrl api, AppJwt jwt, JsonMapper json, String userAgent, Clock clock,
			RetryPolicy retryPolicy) {
		this.http = http;
		this.api = api;
		this.jwt = jwt;
		this.userAgent = userAgent;
		this.clock = clock;
		this.retry = new RetryTemplate(retryPolicy);
		this.rateLimit = new RateLimit(clock);
		this.answers = new Answers(json, this.rateLimit, clock);
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
					|| (failure instanceof UnexpectedAnswerException answer && answer.status() >= 500))
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
				// Looked up afresh below, which answers "not installed" if that is so.
			}
		}
		return createToken(repository, installationId(repository));
	}

	long installationId(RepositoryName repository) {
		HttpUrl url = GitHubEndpoints.installation(this.api, repository);
		Installation installation = call("installation lookup", repository, request(url).get(), Installation.class);
		if (installation.id() == null) {
			throw new UnexpectedAnswerException(200, "GitHub's answer to the installation lookup lacks the id");
		}
		return installation.id();
	}

	InstallationToken createToken(RepositoryName repository, long installationId) {
		HttpUrl url = GitHubEndpoints.accessTokens(this.api, installationId);
		AccessTokenAnswer answer = call("token request", repository, request(url).post(RequestBody.EMPTY),
				AccessTokenAnswer.class);
		if (answer.token() == null || answer.token().isBlank() || answer.expiresAt() == null) {
			throw new UnexpectedAnswerException(201, "GitHub's answer to the token request lacks "
					+ ((answer.expiresAt() == null) ? "expires_at" : "the token"));
		}
		if (!answer.expiresAt().isAfter(this.clock.instant())) {
			throw new UnexpectedAnswerException(201,
					"GitHub's new token expires in the past (" + answer.expiresAt() + ")");
		}
		return new InstallationToken(answer.token(), answer.expiresAt(), installationId);
	}

	private <T> T call(String endpoint, RepositoryName repository, Request.Builder request, Class<T> type) {
		try {
			return this.retry.execute(() -> {
				try {
					return callOnce(endpoint, repository, request, type);
				}
				catch (Answers.ClockSkewException ex) {
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

	private <T> T callOnce(String endpoint, RepositoryName repository, Request.Builder request, Class<T> type) {
		this.rateLimit.check();
		Request call = request.header("Authorization", "Bearer " + this.jwt.get()).build();
		try (Response response = this.http.newCall(call).execute()) {
			return this.answers.read(response, endpoint, repository, type);
		}
		catch (IOException ex) {
			throw new GitHubUnavailableException(endpoint, ex);
		}
	}

	private Request.Builder request(HttpUrl url) {
		return new Request.Builder().url(url)
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28")
			.header("User-Agent", this.userAgent);
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

}
