package io.tokman.github;

import java.io.IOException;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two GitHub endpoints tokman needs, each a single call that returns a value or
 * throws a named failure.
 */
public final class GitHubClient {

	private static final int MAX_MESSAGE = 200;

	private final OkHttpClient http;

	private final HttpUrl api;

	private final AppJwt jwt;

	private final JsonMapper json;

	private final String userAgent;

	public GitHubClient(OkHttpClient http, HttpUrl api, AppJwt jwt, JsonMapper json, String userAgent) {
		this.http = http;
		this.api = api;
		this.jwt = jwt;
		this.json = json;
		this.userAgent = userAgent;
	}

	/** Mints a new installation token for the installation that covers the repository. */
	public InstallationToken mintToken(RepositoryName repository) {
		return createToken(repository, installationId(repository));
	}

	long installationId(RepositoryName repository) {
		HttpUrl url = this.api.newBuilder()
			.addPathSegment("repos")
			.addPathSegment(repository.namespace())
			.addPathSegment(repository.repository())
			.addPathSegment("installation")
			.build();
		String endpoint = "installation lookup";
		try (Response response = this.http.newCall(request(url).get().build()).execute()) {
			if (response.code() == 404) {
				throw new AppNotInstalledException(repository);
			}
			Installation installation = read(response, Installation.class, endpoint);
			if (installation.id() == null) {
				throw new GitHubException(response.code(), "GitHub's answer to the installation lookup lacks the id");
			}
			return installation.id();
		}
		catch (IOException ex) {
			throw new GitHubUnavailableException(endpoint, ex);
		}
	}

	InstallationToken createToken(RepositoryName repository, long installationId) {
		HttpUrl url = this.api.newBuilder()
			.addPathSegments("app/installations")
			.addPathSegment(Long.toString(installationId))
			.addPathSegment("access_tokens")
			.build();
		String endpoint = "token request";
		try (Response response = this.http.newCall(request(url).post(RequestBody.EMPTY).build()).execute()) {
			if (response.code() == 404) {
				throw new AppNotInstalledException(repository);
			}
			AccessTokenAnswer answer = read(response, AccessTokenAnswer.class, endpoint);
			if (answer.token() == null || answer.token().isBlank() || answer.expiresAt() == null) {
				throw new GitHubException(response.code(), "GitHub's answer to the token request lacks "
						+ ((answer.expiresAt() == null) ? "expires_at" : "the token"));
			}
			return new InstallationToken(answer.token(), answer.expiresAt());
		}
		catch (IOException ex) {
			throw new GitHubUnavailableException(endpoint, ex);
		}
	}

	private Request.Builder request(HttpUrl url) {
		return new Request.Builder().url(url)
			.header("Accept", "application/vnd.github+json")
			.header("X-GitHub-Api-Version", "2022-11-28")
			.header("User-Agent", this.userAgent)
			.header("Authorization", "Bearer " + this.jwt.get());
	}

	private <T> T read(Response response, Class<T> type, String endpoint) throws IOException {
		String body = response.body().string();
		if (!response.isSuccessful()) {
			throw new GitHubException(response.code(),
					"GitHub answered " + response.code() + " to the " + endpoint + message(body));
		}
		try {
			return this.json.readValue(body, type);
		}
		catch (JacksonException ex) {
			throw new GitHubException(response.code(),
					"GitHub's answer to the " + endpoint + " is not the JSON expected");
		}
	}

	/** GitHub's own explanation, if it gave one; it never repeats credentials. */
	private String message(String body) {
		try {
			String message = this.json.readTree(body).path("message").asString("");
			if (message.isEmpty()) {
				return "";
			}
			return ": " + ((message.length() > MAX_MESSAGE) ? message.substring(0, MAX_MESSAGE) + "..." : message);
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

}
