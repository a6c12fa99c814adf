package io.tokman.token;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.TestClient;
import io.tokman.TestEnvironment;
import io.tokman.TokmanTest;
import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tokens table keeps what is asked for, on SQLite through the running service
 * (PostgresReplicaIT does the same on PostgreSQL): a request GitHub answers without a
 * token leaves no row, and rows expired longer than keep-expired (1 day) are deleted.
 */
@TokmanTest
class StoredTokenUpkeepTests {

	@LocalServerPort
	private int port;

	@Autowired
	private StoredTokenRepository tokens;

	@Autowired
	private StoredTokenUpkeep pruning;

	@Autowired
	private MeterRegistry registry;

	@Test
	void requestsForRepositoriesTheAppIsNotOnLeaveNoRow() {
		List<String> repositories = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			String repository = TestEnvironment.uniqueRepository("packit");
			TestEnvironment.GITHUB.uninstall(repository);
			assertThat(TestClient.status(this.port, "/api/" + repository, null)).isEqualTo(400);
			repositories.add(repository);
		}
		repositories.forEach((repository) -> assertThat(this.tokens.find(row(repository))).as(repository).isEmpty());
	}

	@Test
	void rowsExpiredLongerThanKeepExpiredAreDeletedAndCounted() throws Exception {
		String old = TestEnvironment.uniqueRepository("packit");
		TestClient.token(this.port, old);
		TestEnvironment.CLOCK.advance(Duration.ofHours(1).plus(Duration.ofDays(1)).plusSeconds(1));
		String fresh = TestEnvironment.uniqueRepository("packit");
		TestClient.token(this.port, fresh);
		double before = this.registry.counter("tokman.tokens.pruned").count();
		assertThat(this.pruning.prune()).isPositive();
		assertThat(this.tokens.find(row(old))).isEmpty();
		assertThat(this.tokens.find(row(fresh))).isPresent();
		assertThat(this.registry.counter("tokman.tokens.pruned").count()).isGreaterThan(before);
		// Asked for again, it simply gets a new row.
		assertThat(TestClient.token(this.port, old)).startsWith("ghs_");
		assertThat(this.tokens.find(row(old))).isPresent();
	}

	private static StoredToken row(String repository) {
		String[] name = repository.split("/");
		return new StoredToken(
				TokenScope.repository(new RepositoryName(name[0], name[1]), Permissions.INSTALLATION, false));
	}

}
