package io.tokman.observability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log's reader stalls (a full pipe): the threads that log go on, the lines that can
 * be lost are dropped and counted, and the audit trail, warnings and errors wait for
 * room.
 */
class LogQueueTests {

	private final LoggerContext context = new LoggerContext();

	private final Stalled reader = new Stalled();

	private final Logger root = this.context.getLogger(Logger.ROOT_LOGGER_NAME);

	LogQueueTests() {
		// As SLF4J sets one up for the context Spring Boot configures.
		this.context.setMDCAdapter(new LogbackMDCAdapter());
		this.context.start();
		this.reader.setContext(this.context);
		this.reader.start();
		this.root.addAppender(this.reader);
	}

	@AfterEach
	void stop() {
		this.reader.open.countDown();
		this.context.stop();
	}

	@Test
	void aStalledReaderHoldsNoLoggingThreadAndOnlyLinesThatCanBeLostAreDropped() throws Exception {
		install(10);
		Logger app = this.context.getLogger("io.tokman.token.TokenService");
		Logger audit = this.context.getLogger("tokman.audit.served");
		// The first line reaches the reader, which stalls on it.
		app.info("line 0");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.reader.writing == 1);
		long droppedBefore = LogQueue.dropped();
		CompletableFuture.runAsync(() -> {
			for (int i = 1; i <= 20; i++) {
				app.info("line {}", i);
			}
			audit.info("client=worker token_sha256=1234");
			audit.info("client=worker token_sha256=5678");
		}).get(10, TimeUnit.SECONDS);
		// Eight lines take four-fifths of the queue; the last fifth is the audit trail's.
		assertThat(LogQueue.dropped() - droppedBefore).isEqualTo(12);
		this.reader.open.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.reader.lines.size() == 11);
		assertThat(this.reader.lines).startsWith("line 0", "line 1", "line 2")
			.endsWith("line 8", "client=worker token_sha256=1234", "client=worker token_sha256=5678")
			.doesNotContain("line 9");
		assertThat(this.reader.threads).doesNotContain(Thread.currentThread().getName());
	}

	@Test
	void aWarningFindingTheQueueFullWaitsForRoomRatherThanBeDropped() throws Exception {
		install(5);
		Logger app = this.context.getLogger("io.tokman.token.TokenService");
		app.info("line 0");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.reader.writing == 1);
		for (int i = 1; i <= 5; i++) {
			app.warn("warning {}", i);
		}
		CompletableFuture<Void> sixth = CompletableFuture.runAsync(() -> app.warn("warning 6"));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !sixth.isDone());
		this.reader.open.countDown();
		sixth.get(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.reader.lines.size() == 7);
		assertThat(this.reader.lines).endsWith("warning 5", "warning 6");
	}

	@Test
	void aQueueOfZeroWritesOnTheThreadThatLogs() {
		MockEnvironment environment = new MockEnvironment().withProperty("tokman.log.queue-size", "0");
		LogConfiguration.Install.install(environment, this.context);
		this.reader.open.countDown();
		this.context.getLogger("io.tokman").info("at once");
		assertThat(this.reader.lines).containsExactly("at once");
		assertThat(this.reader.threads).containsExactly(Thread.currentThread().getName());
	}

	private void install(int size) {
		LogConfiguration.Install
			.install(new MockEnvironment().withProperty("tokman.log.queue-size", String.valueOf(size)), this.context);
		assertThat(this.root.getAppender(LogQueue.NAME)).isNotNull();
		assertThat(this.root.getAppender("stalled")).isNull();
	}

	/** A reader that takes lines only once it is opened. */
	static final class Stalled extends AppenderBase<ILoggingEvent> {

		final CountDownLatch open = new CountDownLatch(1);

		final List<String> lines = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		volatile int writing;

		Stalled() {
			setName("stalled");
		}

		@Override
		protected void append(ILoggingEvent event) {
			this.writing++;
			try {
				this.open.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.lines.add(event.getFormattedMessage());
			this.threads.add(Thread.currentThread().getName());
		}

	}

}
