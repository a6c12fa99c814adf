package io.tokman.token;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.tokman.TestClient;
import io.tokman.TestEnvironment;
import io.tokman.TokmanTest;
import io.tokman.simulator.GitHubSimulator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Refresh-ahead, one round at a time: the schedule is an hour apart here, so each test
 * runs the rounds it needs on the shared clock.
 */
@TokmanTest
@TestPropertySource(properties = { "tokman.token.refresh-ahead.interval=1h", "tokman.token.refresh-ahead.batch=2" })
class RefreshAheadTests {

	private static final GitHubSimulator github = TestEnvironment.GITHUB;

	/** Into the renew window (the last 60 s of the hour a token lives), first half. */
	private static final Duration EARLY_IN_WINDOW = Duration.ofMinutes(59).plusSeconds(1);

	@LocalServerPort
	private int port;

	@Autowired
	private RefreshAhead refreshAhead;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private RepositoryLocks locks;

	@BeforeEach
	void forgetEarlierTestsRepositories() {
		// Past the hour after which a repository nobody asks for is no longer followed.
		TestEnvironment.CLOCK.advance(Duration.ofHours(2));
		github.latency(Duration.ZERO);
	}

	@Test
	void tokenEnteringTheRenewWindowIsServedAsHeldAndRenewedByTheNextRound() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		TestEnvironment.CLOCK.advance(EARLY_IN_WINDOW);
		// The request does not wait on GitHub: it gets the token held, still valid.
		assertThat(token(repository)).isEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
		assertThat(this.refreshAhead.round()).isEqualTo(1);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
		String renewed = token(repository);
		assertThat(renewed).isNotEqualTo(first);
		// Renewed tokens are fresh: the next round has nothing to do.
		assertThat(this.refreshAhead.round()).isZero();
		assertThat(token(repository)).isEqualTo(renewed);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
	}

	@Test
	void heldTokensAndBackgroundRenewalsAreCountedApartFromMints() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		token(repository);
		double renewing = served("renewing");
		double minted = served("minted");
		double refreshed = this.registry.counter("tokman.tokens.refreshed").count();
		TestEnvironment.CLOCK.advance(EARLY_IN_WINDOW);
		token(repository);
		assertThat(served("renewing")).isEqualTo(renewing + 1);
		this.refreshAhead.round();
		assertThat(this.registry.counter("tokman.tokens.refreshed").count()).isEqualTo(refreshed + 1);
		assertThat(served("minted")).isEqualTo(minted);
	}

	@Test
	void renewalTimingStaysTheSameAsWithoutRefreshAhead() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(58).plusSeconds(59));
		assertThat(this.refreshAhead.round()).isZero();
		assertThat(token(repository)).isEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(1);
	}

	@Test
	void requestInTheSecondHalfOfTheWindowRenewsItselfWhenNoRoundDid() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(59).plusSeconds(31));
		assertThat(token(repository)).isNotEqualTo(first);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
	}

	@Test
	void repositoryNobodyAskedForWithinTheLastHourIsLeftAlone() throws IOException {
		String asked = TestEnvironment.uniqueRepository("packit");
		String forgotten = TestEnvironment.uniqueRepository("packit");
		token(asked);
		token(forgotten);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(30));
		token(asked);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(31));
		// Both tokens have expired; only the repository asked for 31 minutes ago is
		// renewed.
		assertThat(this.refreshAhead.round()).isEqualTo(1);
		assertThat(github.tokenRequests(asked)).isEqualTo(2);
		assertThat(github.tokenRequests(forgotten)).isEqualTo(1);
	}

	@Test
	void repositoryAskedForOnceIsForgottenAnHourLaterThoughRoundsKeepRunning() throws IOException {
		String once = TestEnvironment.uniqueRepository("packit");
		token(once);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(30));
		this.refreshAhead.round();
		// In the renew window 59.5 minutes after the only request: renewed in the
		// background, as it was asked for within the hour.
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(29).plusSeconds(30));
		this.refreshAhead.round();
		assertThat(github.tokenRequests(once)).isEqualTo(2);
		// Rounds every minute for three more hours: nobody asked again, so no more.
		for (int i = 0; i < 180; i++) {
			TestEnvironment.CLOCK.advance(Duration.ofMinutes(1));
			this.refreshAhead.round();
		}
		assertThat(github.tokenRequests(once)).isEqualTo(2);
	}

	@Test
	void eachRoundRenewsAtMostABatchSoonestExpiringFirst() throws IOException {
		String soonest = TestEnvironment.uniqueRepository("packit");
		String next = TestEnvironment.uniqueRepository("packit");
		String last = TestEnvironment.uniqueRepository("packit");
		for (String repository : new String[] { soonest, next, last }) {
			token(repository);
			TestEnvironment.CLOCK.advance(Duration.ofSeconds(1));
		}
		TestEnvironment.CLOCK.advance(EARLY_IN_WINDOW);
		assertThat(this.refreshAhead.round()).isEqualTo(2);
		assertThat(github.tokenRequests(soonest)).isEqualTo(2);
		assertThat(github.tokenRequests(next)).isEqualTo(2);
		assertThat(github.tokenRequests(last)).isEqualTo(1);
		assertThat(this.refreshAhead.round()).isEqualTo(1);
		assertThat(github.tokenRequests(last)).isEqualTo(2);
	}

	@Test
	void roundWaitsForARequestsRenewalInsteadOfMintingAgain() throws Exception {
		String repository = TestEnvironment.uniqueRepository("packit");
		token(repository);
		TestEnvironment.CLOCK.advance(Duration.ofMinutes(59).plusSeconds(45));
		github.hold(repository);
		CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> {
			try {
				return token(repository);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}, TestClient.THREADS);
		assertThat(github.awaitHeldRequest(repository, Duration.ofSeconds(10))).isTrue();
		CompletableFuture<Integer> round = CompletableFuture.supplyAsync(this.refreshAhead::round, TestClient.THREADS);
		// Released only once the round waits on the request's lock: released before, the
		// round could find the token already renewed and have nothing to do.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.locks.waiting() >= 1);
		github.release(repository);
		String renewed = request.get();
		assertThat(round.get()).isEqualTo(1);
		assertThat(github.tokenRequests(repository)).isEqualTo(2);
		assertThat(token(repository)).isEqualTo(renewed);
	}

	@Test
	void failedBackgroundRenewalIsRetriedAfterABackOffThatRequestsDoNotEnd() throws IOException {
		String repository = TestEnvironment.uniqueRepository("packit");
		String first = token(repository);
		TestEnvironment.CLOCK.advance(EARLY_IN_WINDOW);
		github.fail(repository, 500);
		try {
			assertThat(this.refreshAhead.round()).isEqualTo(1);
			int attempts = github.tokenRequests(repository);
			assertThat(attempts).isGreaterThan(1);
			// Still valid, so still served; that does not put it back on the rounds.
			assertThat(token(repository)).isEqualTo(first);
			assertThat(this.refreshAhead.round()).isZero();
			assertThat(github.tokenRequests(repository)).isEqualTo(attempts);
		}
		finally {
			github.heal(repository);
		}
		TestEnvironment.CLOCK.advance(Duration.ofSeconds(13));
		assertThat(this.refreshAhead.round()).isEqualTo(1);
		assertThat(token(repository)).isNotEqualTo(first);
	}

	private double served(String source) {
		return this.registry.counter("tokman.tokens.served", "source", source).count();
	}

	private String token(String repository) throws IOException {
		return TestClient.token(this.port, repository);
	}

}
