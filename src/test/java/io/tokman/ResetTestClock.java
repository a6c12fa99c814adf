package io.tokman;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Sets the shared test clock back to {@link TestEnvironment#START} before and after each
 * test, so that no test sees the time another one moved to. Not for classes whose tests
 * move time only forward on purpose (refresh-ahead's, whose memory of repositories asked
 * for lately is the shared context's).
 */
public final class ResetTestClock implements BeforeEachCallback, AfterEachCallback {

	@Override
	public void beforeEach(ExtensionContext context) {
		TestEnvironment.CLOCK.set(TestEnvironment.START);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		TestEnvironment.CLOCK.set(TestEnvironment.START);
	}

}
