package io.tokman.web;

import java.util.concurrent.Executor;
import java.util.function.IntSupplier;

import io.tokman.token.RequestSlots;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * With virtual threads (Java 21+), at most {@code server.tomcat.threads.max} requests
 * ({@code WORKERS}) do work at once ({@link RequestSlots}), the bound Tomcat's own pool
 * gives platform threads; requests that wait for a renewal hold no slot. Applied last, so
 * that it wraps the virtual-thread executor Spring Boot gives Tomcat; without one it does
 * nothing.
 */
final class RequestLimit implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

	/** Read when Tomcat is made: a test slice without a server has no such setting. */
	private final IntSupplier requests;

	RequestLimit(IntSupplier requests) {
		this.requests = requests;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addProtocolHandlerCustomizers((protocol) -> {
			if (protocol.getExecutor() != null) {
				protocol.setExecutor(new Bounded(protocol.getExecutor(), this.requests.getAsInt()));
			}
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/** Runs each task on the executor it wraps, in one of the slots. */
	static final class Bounded implements Executor {

		private final Executor threads;

		private final RequestSlots slots;

		Bounded(Executor threads, int slots) {
			this.threads = threads;
			this.slots = new RequestSlots(slots);
		}

		@Override
		public void execute(Runnable task) {
			this.threads.execute(() -> this.slots.run(task));
		}

	}

}
