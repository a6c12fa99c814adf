package io.tokman.github;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.okhttp3.OkHttpObservationInterceptor;
import io.micrometer.observation.ObservationRegistry;
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
	AppJwt appJwt(GitHubProperties properties, AppKeys appKeys, Clock clock) {
		return new AppJwt(properties.appId(), appKeys, clock);
	}

	@Bean
	OkHttpClient gitHubHttpClient(GitHubProperties properties, MeterRegistry registry,
			ObservationRegistry observations) {
		AtomicReference<Double> rateLimitRemaining = new AtomicReference<>(Double.NaN);
		Gauge.builder("tokman.github.rate.limit.remaining", rateLimitRemaining, AtomicReference::get)
			.description("Requests left in GitHub's rate-limit window, as its last answer said")
			.register(registry);
		return new OkHttpClient.Builder().connectTimeout(properties.connectTimeout())
			.readTimeout(properties.readTimeout())
			.callTimeout(properties.callTimeout())
			// Each HTTP call a timer and a span, named by its endpoint's template.
			.addInterceptor(OkHttpObservationInterceptor.builder(observations, "tokman.github.requests")
				.uriMapper(GitHubEndpoints::template)
				.build())
			.addNetworkInterceptor((chain) -> {
				Response response = chain.proceed(chain.request());
				String remaining = response.header("X-RateLimit-Remaining");
				if (remaining != null && remaining.matches("\\d{1,9}")) {
					rateLimitRemaining.set(Double.valueOf(remaining));
				}
				return response;
			})
			.build();
	}

	@Bean
	GitHubClient gitHubClient(OkHttpClient gitHubHttpClient, GitHubProperties properties, AppJwt appJwt,
			JsonMapper jsonMapper, Clock clock, ObjectProvider<BuildProperties> build, ObservationRegistry observations,
			MeterRegistry registry) {
		HttpUrl api = HttpUrl.parse(properties.apiUrl().toString());
		if (api == null) {
			throw new InvalidSettingException(
					"GITHUB_API_URL is '" + properties.apiUrl() + "'; expected an http(s) URL",
					"Set GITHUB_API_URL to https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.");
		}
		return new GitHubClient(gitHubHttpClient, api, appJwt, jsonMapper, "tokman/" + BuildVersion.of(build), clock,
				new Retries(properties.retries(), properties.retryDelay(), properties.deadline()),
				properties.notInstalledFor(), observations,
				new GitHubCircuit(properties.circuitPause(), clock, registry));
	}

}
