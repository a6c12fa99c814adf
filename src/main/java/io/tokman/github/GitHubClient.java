package io.tokman.github;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;

/**
 * The GitHub endpoints tokman needs, each returning a value or throwing a
 * {@link GitHubException} named for the failure. Server errors and network failures are
 * retried with backoff inside a deadline; a rate limit stops all calls until GitHub's
 * reset time; a JWT rejected for clock skew is signed again on GitHub's clock, once; a
 * JWT rejected otherwise is signed again with each other key of the App, once.
 */
final class GitHubClient {

	private final OkHttpClient http;

	private final HttpUrl api;

	private final AppJwt jwt;

	private final String userAgent;

	private final Clock clock;

	private final Retries retries;

	private final RateLimit rateLimit;

	private final Answers answers;

	private final NotInstalled notInstalled;

	private final JsonMapper json;

	private final ObservationRegistry observations;

	private final GitHubCircuit circuit;

	private final GitHubCalls calls;

	GitHubClient(OkHttpClient http, HttpUrl api, AppJwt jwt, JsonMapper json, String userAgent, Clock clock,
			Retries retries, Duration notInstalledFor, ObservationRegistry observations, GitHubCircuit circuit,
			GitHubCalls calls) {
		// Whatever the client given: a redirect is an answer, never followed.
		this.http = http.newBuilder().followRedirects(false).followSslRedirects(false).build();
		this.api = api;
		this.jwt = jwt;
		this.userAgent = userAgent;
		this.clock = clock;
		this.retries = retries;
		this.rateLimit = new RateLimit(clock);
		this.answers = new Answers(json, this.rateLimit, clock);
		this.json = json;
		this.observations = observations;
		this.circuit = circuit;
		this.calls = calls;
		this.notInstalled = new NotInstalled(notInstalledFor, clock);
	}

	/**
	 * Mints a new installation token for the scope; with the installation id remembered
	 * from the last mint, that is one call to GitHub instead of two. If that installation
	 * is gone (the App was reinstalled), it is looked up again.
	 */
	public InstallationToken mintToken(TokenScope scope, Long knownInstallation) {
		// One deadline for the whole mint, lookup and token request, retries included.
		long deadline = System.nanoTime() + this.retries.deadline().toNanos();
		if (knownInstallation != null) {
			try {
				return createToken(scope, knownInstallation, deadline);
			}
			catch (AppNotInstalledException ex) {
				// Looked up afresh below, which answers "not installed" if that is so.
			}
		}
		return createToken(scope, installationId(scope, deadline), deadline);
	}

	long installationId(TokenScope scope, long deadline) {
		if (this.notInstalled.remembered(scope)) {
			throw new AppNotInstalledException(scope.where());
		}
		GitHubEndpoints endpoint = (scope.kind() == TokenScope.Kind.OWNER)
				? GitHubEndpoints.ownerInstallation(this.api, scope.owner())
				: GitHubEndpoints.installation(this.api, scope.repository());
		Answers.Installation installation;
		try {
			installation = call(Answers.INSTALLATION_LOOKUP, scope, endpoint.request(this.userAgent).get(),
					Answers.Installation.class, deadline);
		}
		catch (AppNotInstalledException ex) {
			this.notInstalled.remember(scope);
			throw ex;
		}
		if (installation.id() == null || installation.account() == null || installation.account().login() == null) {
			throw new UnexpectedAnswerException(200,
					"GitHub's answer to the installation lookup lacks the id or the account");
		}
		if (!installation.account().login().equalsIgnoreCase(scope.owner())) {
			throw RepositoryMovedException.installedElsewhere(scope.where(), scope.owner(),
					installation.account().login());
		}
		return installation.id();
	}

	InstallationToken createToken(TokenScope scope, long installationId, long deadline) {
		GitHubEndpoints endpoint = GitHubEndpoints.accessTokens(this.api, installationId);
		Answers.AccessToken answer = call(Answers.TOKEN_REQUEST, scope,
				endpoint.request(this.userAgent).post(tokenRequest(scope)), Answers.AccessToken.class, deadline);
		if (answer.token() == null || answer.token().isBlank() || answer.expiresAt() == null) {
			throw new UnexpectedAnswerException(201, "GitHub's answer to the token request lacks "
					+ ((answer.expiresAt() == null) ? "expires_at" : "the token"));
		}
		if (!answer.expiresAt().isAfter(this.clock.instant())) {
			throw new UnexpectedAnswerException(201,
					"GitHub's new token expires in the past (" + answer.expiresAt() + ")");
		}
		return new InstallationToken(answer.token(), answer.expiresAt(), installationId,
				Permissions.granted(answer.permissions()), answer.repositorySelection());
	}

	/**
	 * Revokes a token at GitHub, authenticated with itself: true if GitHub revoked it,
	 * false if GitHub no longer took it (expired or revoked before).
	 */
	boolean revoke(String token) {
		Request request = GitHubEndpoints.installationToken(this.api)
			.request(this.userAgent)
			.delete()
			.header("Authorization", "Bearer " + token)
			.build();
		long deadline = System.nanoTime() + this.retries.deadline().toNanos();
		return this.calls.call("token revocation", deadline, this.retries.deadline(), () -> {
			try (Response response = this.http.newCall(request).execute()) {
				if (response.code() != 204 && response.code() != 401) {
					throw new UnexpectedAnswerException(response.code(),
							"GitHub answered " + response.code() + " to the token revocation");
				}
				return response.code() == 204;
			}
			catch (IOException ex) {
				throw new GitHubUnavailableException("token revocation", ex);
			}
		});
	}

	NotInstalled notInstalled() {
		return this.notInstalled;
	}

	private RequestBody tokenRequest(TokenScope scope) {
		Map<String, Object> body = scope.tokenRequest();
		return body.isEmpty() ? RequestBody.EMPTY
				: RequestBody.create(this.json.writeValueAsString(body), MediaType.get("application/json"));
	}

	/**
	 * One GitHub endpoint, retried as {@link Retries} says; observed as a whole (a span
	 * with the endpoint, the repository and the retries, whose children are the HTTP
	 * calls, and a timer), never with a token or the JWT.
	 */
	private <T> T call(String endpoint, TokenScope scope, Request.Builder request, Class<T> type, long deadline) {
		Observation observation = Observation.createNotStarted("tokman.github.call", this.observations)
			.contextualName("github " + endpoint)
			.lowCardinalityKeyValue("endpoint", endpoint)
			.lowCardinalityKeyValue("app", this.jwt.appId())
			.highCardinalityKeyValue("repository", scope.where())
			.start();
		AtomicInteger attempts = new AtomicInteger();
		RetryTemplate retry = new RetryTemplate(this.retries.policy(left(endpoint, deadline)));
		try (Observation.Scope ignored = observation.openScope()) {
			return retry.execute(() -> {
				attempts.incrementAndGet();
				return this.jwt.authenticated((jwt) -> callOnce(jwt, endpoint, scope, request, type, deadline));
			});
		}
		catch (RetryException ex) {
			RuntimeException last = (ex.getCause() instanceof RuntimeException failure) ? failure
					: new IllegalStateException(ex.getCause());
			observation.error(last);
			throw last;
		}
		finally {
			observation.highCardinalityKeyValue("retries", String.valueOf(Math.max(0, attempts.get() - 1))).stop();
		}
	}

	private <T> T callOnce(String jwt, String endpoint, TokenScope scope, Request.Builder request, Class<T> type,
			long deadline) {
		this.rateLimit.check();
		return this.calls.call(endpoint, deadline, this.retries.deadline(), () -> {
			Call call = this.http.newCall(request.header("Authorization", "Bearer " + jwt).build());
			long left = left(endpoint, deadline).toNanos();
			if (call.timeout().timeoutNanos() == 0 || left < call.timeout().timeoutNanos()) {
				call.timeout().timeout(left, TimeUnit.NANOSECONDS);
			}
			this.circuit.permit(endpoint);
			long start = System.nanoTime();
			try (Response response = call.execute()) {
				T answer = this.answers.read(response, endpoint, scope, type);
				this.circuit.succeeded(start);
				return answer;
			}
			catch (IOException ex) {
				GitHubUnavailableException failure = new GitHubUnavailableException(endpoint, ex);
				this.circuit.failed(start, failure);
				throw failure;
			}
			catch (RuntimeException ex) {
				this.circuit.failed(start, ex);
				throw ex;
			}
		});
	}

	/** The time left before the deadline; none left is a timeout. */
	private Duration left(String endpoint, long deadline) {
		long left = deadline - System.nanoTime();
		if (left <= 0) {
			throw new GitHubUnavailableException(endpoint, this.retries.deadline());
		}
		return Duration.ofNanos(left);
	}

	@Override
	public String toString() {
		return "GitHubClient[" + this.api + "]";
	}

}
