package io.tokman;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import io.tokman.simulator.GitHubSimulator;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tokman processes on one SQLite file, as in a rolling deploy on one host, with the
 * database lock on: a herd spread across both mints once.
 */
class SharedSqliteIT {

	private final GitHubSimulator github = ForkedTokman.gitHubSimulator();

	@StartStop
	private final MockWebServer server = new MockWebServer();

	private final List<ForkedTokman> processes = new ArrayList<>();

	@BeforeEach
	void connectGitHub() {
		this.server.setDispatcher(this.github);
	}

	@AfterEach
	void stopAll() throws InterruptedException {
		for (ForkedTokman process : this.processes) {
			process.kill();
		}
	}

	@Test
	void herdAcrossTwoProcessesSharingOneSqliteFileMintsOnce() throws Exception {
		Path database = TestEnvironment.newDatabase();
		for (int i = 0; i < 2; i++) {
			this.processes.add(ForkedTokman.start(database, this.server.url("/").toString(),
					"shared-sqlite-" + i + ".log", "--tokman.token.database-lock=true"));
		}
		this.github.latency(Duration.ofMillis(300));
		List<Integer> ports = this.processes.stream().map(ForkedTokman::port).toList();
		Set<String> tokens = TestClient.herd(ports, Collections.nCopies(100, "packit/shared"));
		assertThat(tokens).hasSize(1);
		assertThat(this.github.tokenRequests("packit/shared")).isEqualTo(1);
	}

}
