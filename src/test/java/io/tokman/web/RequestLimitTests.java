package io.tokman.web;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.coyote.ProtocolHandler;
import org.apache.coyote.http11.Http11NioProtocol;
import org.junit.jupiter.api.Test;

import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RequestLimitTests {

	@Test
	void noMoreTasksRunAtOnceThanThereArePermitsAndTheRestRunAsPermitsFree() throws Exception {
		ExecutorService threads = Executors.newCachedThreadPool();
		try {
			Executor bounded = new RequestLimit.Bounded(threads, 3);
			AtomicInteger running = new AtomicInteger();
			AtomicInteger most = new AtomicInteger();
			CountDownLatch release = new CountDownLatch(1);
			CountDownLatch done = new CountDownLatch(10);
			for (int i = 0; i < 10; i++) {
				bounded.execute(() -> {
					most.accumulateAndGet(running.incrementAndGet(), Math::max);
					try {
						release.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					running.decrementAndGet();
					done.countDown();
				});
			}
			await().atMost(java.time.Duration.ofSeconds(10)).until(() -> running.get() == 3);
			release.countDown();
			assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(most).hasValue(3);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void tomcatsVirtualThreadsAreBoundedAndItsOwnPoolIsLeftAlone() {
		Http11NioProtocol virtual = new Http11NioProtocol();
		Executor threads = Executors.newCachedThreadPool();
		virtual.setExecutor(threads);
		Http11NioProtocol pooled = new Http11NioProtocol();
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		new RequestLimit(() -> 4).customize(factory);
		for (TomcatProtocolHandlerCustomizer<?> customizer : factory.getProtocolHandlerCustomizers()) {
			@SuppressWarnings("unchecked")
			TomcatProtocolHandlerCustomizer<ProtocolHandler> any = (TomcatProtocolHandlerCustomizer<ProtocolHandler>) customizer;
			any.customize(virtual);
			any.customize(pooled);
		}
		assertThat(virtual.getExecutor()).isInstanceOf(RequestLimit.Bounded.class);
		// Without an executor Tomcat makes its own pool of server.tomcat.threads.max.
		assertThat(pooled.getExecutor()).isNull();
	}

}
