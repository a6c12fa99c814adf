package io.tokman.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;

/**
 * Log lines written by a thread of their own (logback's {@link AsyncAppender}), so that a
 * request thread never waits for the log's reader: a slow pipe, a stalled log shipper.
 * Once the queue is four-fifths full a line is dropped and counted, except the lines that
 * are the only record of what happened (warnings and errors; the audit trail: mints,
 * renewals, revocations, a token's first hand-out to a client, the summaries of the
 * others), which take the last fifth and, when even that is full, wait for room.
 */
final class LogQueue extends AsyncAppender {

	static final String NAME = "TOKMAN_LOG_QUEUE";

	/** Lines dropped since the JVM started, every context's queue together. */
	private static final LongAdder dropped = new LongAdder();

	private final int reserve;

	private LogQueue(int size) {
		this.reserve = Math.max(1, size / 5);
		setName(NAME);
		setQueueSize(size);
		// Which lines to drop is decided here (append), not by logback's level rule.
		setDiscardingThreshold(0);
	}

	/**
	 * Moves the root logger's appenders (Spring Boot's console) behind a queue of this
	 * size; with zero, lines are written by the thread that logs them.
	 */
	static void install(LoggerContext context, int size) {
		Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
		if (size == 0 || root.getAppender(NAME) != null) {
			return;
		}
		LogQueue queue = new LogQueue(size);
		queue.setContext(context);
		List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
		root.iteratorForAppenders().forEachRemaining(appenders::add);
		for (Appender<ILoggingEvent> appender : appenders) {
			queue.addAppender(appender);
			root.detachAppender(appender);
		}
		queue.start();
		root.addAppender(queue);
	}

	static long dropped() {
		return dropped.sum();
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (getRemainingCapacity() <= this.reserve && !onlyRecord(event)) {
			dropped.increment();
			return;
		}
		super.append(event);
	}

	private static boolean onlyRecord(ILoggingEvent event) {
		return event.getLevel().isGreaterOrEqual(Level.WARN) || event.getLoggerName().startsWith("tokman.audit");
	}

}
