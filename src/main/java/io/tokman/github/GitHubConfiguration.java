package io.tokman.github;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.okhttp3.OkHttpObservationInterceptor;
import io.micrometer.observation.ObservationRegistry;
import io.tokman.config.AppSettings;
import io.tokman.config.BuildVersion;
import io.tokman.config.InvalidSettingException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Wires the App's JWT and the GitHub client, built once and shared. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GitHubProperties.class)
class GitHubConfiguration {

	@Bean(destroyMethod = "close")
	AppKeys appKeys(GitHubProperties properties, MeterRegistry registry) {
		AppKeys keys = AppKeys.read(properties.privateKey(), properties.activeKey(), properties.appId(), registry);
		keys.watch(properties.keyCheckInterval());
		return keys;
	}

	@Bean
	OkHttpClient gitHubHttpClient(GitHubProperties properties, ObservationRegistry observations) {
		return new OkHttpClient.Builder().connectTimeout(properties.connectTimeout())
			.readTimeout(properties.readTimeout())
			.callTimeout(properties.callTimeout())
			// Each HTTP call a timer and a span, named by its endpoint's template.
			.addInterceptor(OkHttpObservationInterceptor.builder(observations, "tokman.github.requests")
				.uriMapper(GitHubEndpoints::template)
				.build())
			.build();
	}

	/** One for every App: whether GitHub is failing is GitHub's, not an App's. */
	@Bean
	GitHubCircuit gitHubCircuit(GitHubProperties properties, Clock clock, MeterRegistry registry) {
		return new GitHubCircuit(properties.circuitPause(), clock, registry);
	}

	/** One for every App: GitHub's limit on concurrent requests is not an App's. */
	@Bean
	GitHubCalls gitHubCalls(GitHubProperties properties, MeterRegistry registry) {
		return new GitHubCalls(properties.concurrentCalls(), registry);
	}

	/** The client of the App the original settings name. */
	@Bean
	GitHubClient gitHubClient(OkHttpClient gitHubHttpClient, GitHubProperties properties, AppKeys appKeys,
			GitHubCircuit gitHubCircuit, GitHubCalls gitHubCalls, JsonMapper jsonMapper, Clock clock,
			ObjectProvider<BuildProperties> build, ObservationRegistry observations, MeterRegistry registry) {
		return client(properties.appId(), appKeys, properties.apiUrl(), "GITHUB_API_URL", gitHubHttpClient,
				gitHubCircuit, gitHubCalls, properties, jsonMapper, clock, build, observations, registry);
	}

	@Bean(destroyMethod = "close")
	GitHubApps gitHubApps(GitHubClient gitHubClient, OkHttpClient gitHubHttpClient, GitHubCircuit gitHubCircuit,
			GitHubCalls gitHubCalls, GitHubProperties properties, Environment environment, JsonMapper jsonMapper,
			Clock clock, ObjectProvider<BuildProperties> build, ObservationRegistry observations,
			MeterRegistry registry) {
		List<AppSettings.App> settings = AppSettings.bind(environment, properties.appId()).apps();
		List<GitHubApps.App> apps = new ArrayList<>();
		for (int i = 0; i < settings.size(); i++) {
			AppSettings.App app = settings.get(i);
			AppKeys keys = AppKeys.read(app.privateKey(), app.activeKey(), app.id(), registry);
			keys.watch(properties.keyCheckInterval());
			URI api = (app.githubApiUrl() != null) ? app.githubApiUrl() : properties.apiUrl();
			apps.add(new GitHubApps.App(app.id(), GitHubApps.owners(app.owners()),
					client(app.id(), keys, api, "tokman.apps[" + i + "].github-api-url", gitHubHttpClient,
							gitHubCircuit, gitHubCalls, properties, jsonMapper, clock, build, observations, registry),
					keys,
					(app.webhookSecretFile() != null)
							? WebhookSecret.read(app.webhookSecretFile(), "tokman.apps[" + i + "].webhook-secret-file")
							: null));
		}
		WebhookSecret secret = (properties.webhookSecretFile() != null) ? WebhookSecret
			.read(properties.webhookSecretFile(), "tokman.github.webhook-secret-file (GITHUB_WEBHOOK_SECRET_FILE)")
				: null;
		return new GitHubApps(gitHubClient, properties.appId(), secret, apps);
	}

	/**
	 * An App's client: its own JWT and keys, installation ids and rate-limit state, on
	 * the shared connection pool and circuit, with a gauge of the rate limit GitHub's
	 * last answer left it.
	 */
	private static GitHubClient client(String appId, AppKeys keys, URI apiUrl, String setting, OkHttpClient http,
			GitHubCircuit circuit, GitHubCalls calls, GitHubProperties properties, JsonMapper json, Clock clock,
			ObjectProvider<BuildProperties> build, ObservationRegistry observations, MeterRegistry registry) {
		HttpUrl api = HttpUrl.parse(apiUrl.toString());
		if (api == null) {
			throw new InvalidSettingException(setting + " is '" + apiUrl + "'; expected an http(s) URL",
					"Set it to https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.");
		}
		AtomicReference<Double> rateLimitRemaining = new AtomicReference<>(Double.NaN);
		Gauge.builder("tokman.github.rate.limit.remaining", rateLimitRemaining, AtomicReference::get)
			.description("Requests left in the App's GitHub rate-limit window, as GitHub's last answer said")
			.tag("app", appId)
			.register(registry);
		OkHttpClient counted = http.newBuilder().addNetworkInterceptor((chain) -> {
			Response response = chain.proceed(chain.request());
			String remaining = response.header("X-RateLimit-Remaining");
			if (remaining != null && remaining.matches("\\d{1,9}")) {
				rateLimitRemaining.set(Double.valueOf(remaining));
			}
			return response;
		}).build();
		return new GitHubClient(counted, api, new AppJwt(appId, keys, clock), json, "tokman/" + BuildVersion.of(build),
				clock, new Retries(properties.retries(), properties.retryDelay(), properties.deadline()),
				properties.notInstalledFor(), observations, circuit, calls);
	}

}
