package io.tokman.access;

import java.net.InetAddress;
import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Who may reach tokman. With API keys configured, every path needs a valid key except an
 * explicit public list (the health endpoint and the probes): deny by default, on paths as
 * Spring Security's firewall decoded and normalised them, so that no spelling of a path
 * gets around the check. Without keys everything is open, as in the original, and the
 * firewall still refuses malformed paths. Refusals are answered by the application's
 * error handling, in the same JSON body as every other error.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessProperties.class)
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	/** What anyone may ask for: whether tokman is up. */
	private static final String[] PUBLIC = { "/api/health", "/actuator/health/liveness", "/actuator/health/readiness" };

	/**
	 * GitHub's webhook deliveries, which carry no API key: their signature is checked by
	 * the endpoint. POST only: {@code GET} of the same path asks for a token of the
	 * repository github/webhook, which needs a key as any other.
	 */
	private static final String WEBHOOK = "/api/github/webhook";

	@Bean
	Authenticators authenticators(AccessProperties properties, Clock clock, ObjectProvider<ServerProperties> server) {
		Authenticators authenticators = new Authenticators(new ApiKeys(properties),
				new OidcIssuers(properties.oidc(), clock));
		ApiKeys keys = authenticators.keys();
		InetAddress address = server.getIfAvailable(ServerProperties::new).getAddress();
		OidcIssuers issuers = authenticators.oidc();
		if (authenticators.enabled()) {
			log.info(
					"Authentication: API keys for {} clients, OIDC tokens of {} issuers {}; every path but {} "
							+ "and POST {} (signed by GitHub) needs one",
					keys.size(), issuers.names().size(), issuers.names(), String.join(", ", PUBLIC), WEBHOOK);
			// Who may ask for what, as configured: each client and each policy, never a
			// key.
			keys.describe().forEach((client) -> log.info("API key client {}", client));
			issuers.describe().forEach((policy) -> log.info("OIDC {}", policy));
		}
		else if (listensBeyondLoopback(address)) {
			log.warn("Authentication is off and tokman listens on {}: anyone who reaches it gets tokens that act "
					+ "as the GitHub App. Set TOKMAN_API_KEYS or TOKMAN_API_KEYS_FILE to require an API key, or "
					+ "tokman.access.oidc to accept workload identity tokens.",
					(address != null) ? address.getHostAddress() : "every address");
		}
		else {
			log.info("Authentication: off (no API keys or OIDC issuers configured)");
		}
		return authenticators;
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, Authenticators authenticators,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) throws Exception {
		if (!authenticators.enabled()) {
			// Open, as the original: no filter at all, so requests pay only for the
			// firewall, which applies to every request whatever the chain.
			return new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE);
		}
		AuthenticationEntryPoint refuse = (request, response, failure) -> errors.resolveException(request, response,
				null, failure);
		// What an API of bearer keys needs, and nothing each request would pay for
		// besides: no session, CSRF token, logout page, anonymous principal, servlet API
		// wrapper or browser headers (token answers set their own Cache-Control).
		http.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement(AbstractHttpConfigurer::disable)
			.securityContext(
					(context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
			.requestCache((cache) -> cache.disable())
			.logout(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.servletApi(AbstractHttpConfigurer::disable)
			.headers(AbstractHttpConfigurer::disable)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(refuse)
				.accessDeniedHandler(
						(request, response, denied) -> errors.resolveException(request, response, null, denied)));
		AuthenticationFilter bearer = new AuthenticationFilter(
				new ProviderManager(authenticators.keys(), authenticators.oidc()),
				(request) -> bearer(request, authenticators.oidc().enabled()));
		bearer.setSuccessHandler((request, response, authentication) -> {
		});
		AuthenticationEntryPointFailureHandler failures = new AuthenticationEntryPointFailureHandler(refuse);
		// An issuer whose keys cannot be fetched is answered (503) like any refusal.
		failures.setRethrowAuthenticationServiceException(false);
		bearer.setFailureHandler(failures);
		return http.addFilterAt(bearer, BasicAuthenticationFilter.class)
			.authorizeHttpRequests((requests) -> requests.requestMatchers(PUBLIC)
				.permitAll()
				.requestMatchers(HttpMethod.POST, WEBHOOK)
				.permitAll()
				.anyRequest()
				.authenticated())
			.build();
	}

	/**
	 * No observation per security filter: each cost every request a timer and a span, and
	 * the request as a whole is observed anyway.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/** A firewall's refusal of a malformed path is a 400 in the usual body. */
	@Bean
	RequestRejectedHandler requestRejectedHandler(
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors) {
		return (request, response, rejected) -> errors.resolveException(request, response, null, rejected);
	}

	/**
	 * {@code Authorization: Bearer <credential>}, the scheme in any case: a JWT where
	 * OIDC is on, otherwise an API key; null if absent.
	 */
	private static Authentication bearer(HttpServletRequest request, boolean oidc) {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String credential = authorization.substring(7).trim();
		boolean jwt = credential.startsWith("eyJ") && credential.chars().filter((c) -> c == '.').count() == 2;
		return (oidc && jwt) ? new BearerTokenAuthenticationToken(credential) : new ApiKeyAuthentication(credential);
	}

	/**
	 * The ways a client may authenticate; none configured means authentication is off.
	 */
	record Authenticators(ApiKeys keys, OidcIssuers oidc) {

		boolean enabled() {
			return this.keys.enabled() || this.oidc.enabled();
		}

	}

	private static boolean listensBeyondLoopback(InetAddress address) {
		return address == null || !address.isLoopbackAddress();
	}

}
