package io.tokman.token;

import java.lang.reflect.Method;

import io.tokman.TokmanTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where a bounded database read runs: on a platform thread of its own, even where
 * requests run on virtual threads, so that a burst keeping the carriers busy does not
 * hold the read past its timeout and take a database that answers for down.
 */
@TokmanTest
class DatabaseReadThreadTests {

	@Autowired
	private DatabaseWatch database;

	@Autowired
	private Environment environment;

	@Test
	void aReadRunsOnAPlatformThreadWhereRequestsRunOnVirtualOnes() throws Exception {
		assumeTrue(Threading.VIRTUAL.isActive(this.environment), "virtual threads need Java 21+");
		Method isVirtual = Thread.class.getMethod("isVirtual");
		Thread reader = this.database.read(Thread::currentThread);
		assertThat(reader.getName()).startsWith("database-read-");
		assertThat(isVirtual.invoke(reader)).isEqualTo(false);
	}

}
