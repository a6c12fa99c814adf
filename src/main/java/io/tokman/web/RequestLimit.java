package io.tokman.web;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.IntSupplier;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * With virtual threads (Java 21+), at most {@code server.tomcat.threads.max} requests
 * ({@code WORKERS}) are handled at once, first come first served: the bound Tomcat's own
 * pool gives platform threads. A waiting virtual thread costs little, but a request
 * Tomcat has begun to handle holds about 100 KB of buffers and stack; unbounded, a burst
 * of a thousand concurrent requests filled tokman's heap. Bounded, the rest of a burst
 * waits as accepted connections that have not been read yet. Applied last, so that it
 * wraps the virtual-thread executor Spring Boot gives Tomcat; without one it does
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

	/** Runs each task on the executor it wraps once one of its permits is free. */
	static final class Bounded implements Executor {

		private final Executor threads;

		private final Semaphore permits;

		Bounded(Executor threads, int permits) {
			this.threads = threads;
			this.permits = new Semaphore(permits, true);
		}

		@Override
		public void execute(Runnable task) {
			this.threads.execute(() -> {
				this.permits.acquireUninterruptibly();
				try {
					task.run();
				}
				finally {
					this.permits.release();
				}
			});
		}

	}

}
