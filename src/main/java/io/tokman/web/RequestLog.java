package io.tokman.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One debug line per request, as the original tokman logged them: who asked, what, the
 * answer's status and how long it took. {@code LOG_LEVEL=debug} turns it on. Bodies are
 * never logged: they carry tokens.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
final class RequestLog extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!log.isDebugEnabled()) {
			chain.doFilter(request, response);
			return;
		}
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			log.debug("{}:{} \"{}\" {} {} {} {} ms", request.getRemoteAddr(), request.getRemotePort(),
					request.getHeader("User-Agent"), request.getMethod(), request.getRequestURI(), response.getStatus(),
					(System.nanoTime() - start) / 1_000_000);
		}
	}

}
