package io.tokman.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokman.config.InvalidSettingException;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * With API keys configured, a request to the token endpoints without
 * {@code Authorization: Bearer <key>} for one of them gets a 401 and no token. Keys are
 * compared as SHA-256 digests in constant time, each one every time, so timing tells
 * nothing about them. The health endpoint stays open. A refusal is answered by the
 * application's error handling, in the same body as every other error.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final List<byte[]> digests;

	private final HandlerExceptionResolver errors;

	ApiKeyFilter(AccessProperties properties, HandlerExceptionResolver errors) {
		this.errors = errors;
		List<String> keys = new ArrayList<>(properties.apiKeys());
		if (!properties.apiKeysFile().isBlank()) {
			keys.addAll(readKeys(Path.of(properties.apiKeysFile())));
		}
		this.digests = keys.stream()
			.map(String::trim)
			.filter((key) -> !key.isEmpty())
			.map(ApiKeyFilter::digest)
			.toList();
	}

	/** Whether any key is configured, that is whether clients must authenticate. */
	boolean enabled() {
		return !this.digests.isEmpty();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !enabled() || !path.startsWith("/api/") || path.equals("/api/health");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.startsWith(BEARER)
				&& known(authorization.substring(BEARER.length()).trim())) {
			chain.doFilter(request, response);
			return;
		}
		this.errors.resolveException(request, response, null, new ApiKeyRequiredException());
	}

	private boolean known(String key) {
		byte[] digest = digest(key);
		boolean found = false;
		for (byte[] candidate : this.digests) {
			found |= MessageDigest.isEqual(candidate, digest);
		}
		return found;
	}

	private static byte[] digest(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	private static List<String> readKeys(Path file) {
		try (Stream<String> lines = Files.lines(file)) {
			return lines.map(String::trim).filter((line) -> !line.isEmpty() && !line.startsWith("#")).toList();
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidSettingException(
					"TOKMAN_API_KEYS_FILE: cannot read " + file.toAbsolutePath() + " (" + ex.getClass().getSimpleName()
							+ ")",
					"Point TOKMAN_API_KEYS_FILE at a readable file with one API key a line, or unset it.");
		}
	}

}
