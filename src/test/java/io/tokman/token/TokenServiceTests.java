package io.tokman.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tokman.access.BudgetSpentException;
import io.tokman.access.Client;
import io.tokman.access.TestClients;
import io.tokman.access.GitHubBudget;
import io.tokman.github.RepositoryMovedException;
import io.tokman.github.TestGitHub;
import io.tokman.github.TokenRefusedException;
import io.tokman.github.UnexpectedAnswerException;
import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import io.tokman.simulator.MutableClock;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.health.contributor.Status;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * TokenService's rules on an in-memory store and the GitHub simulator, on a test clock:
 * when a token is served, renewed, served stale or dropped, and what is minted.
 */
class TokenServiceTests {

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	private static final TokenScope OGR = scope("packit", "ogr");

	private static final Client CLIENT = TestClients.named("worker");

	private final MutableClock clock = new MutableClock(NOW);

	private final FakeStore store = new FakeStore();

	@AutoClose
	private final TestGitHub gitHub = new TestGitHub(this.clock);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final TokenProperties properties = new TokenProperties(Duration.ofSeconds(60), false, 100,
			Duration.ofSeconds(30), Duration.ofSeconds(5),
			new TokenProperties.RefreshAhead(true, Duration.ofSeconds(1), 10, 2, Duration.ofHours(1)),
			Duration.ofSeconds(10), Duration.ofSeconds(10), TokenProperties.Scope.REPOSITORY, Duration.ofDays(1),
			Duration.ofSeconds(2), null, Duration.ofMinutes(1));

	private final RenewalRule rule = new RenewalRule(this.clock, this.properties.renewAt(), true);

	private final RecentlyAsked recentlyAsked = new RecentlyAsked(this.properties, this.clock);

	private final DatabaseWatch database = new DatabaseWatch(null,
			new StaticListableBeanFactory().getBeanProvider(DataSource.class), this.clock, this.properties);

	private final TokenService tokens = tokens(0);

	/**
	 * A TokenService whose clients may each cause {@code mints} mints an hour; 0: any.
	 */
	private TokenService tokens(int mints) {
		return tokens(TestClients.budget(mints, 0, this.clock));
	}

	private TokenService tokens(GitHubBudget budget) {
		return new TokenService(this.store, this.gitHub.apps(), new HeldTokens(this.properties, this.clock),
				this.recentlyAsked, new RepositoryLocks(this.properties.lockTimeout()), this.rule, budget,
				this.database, new TokenMeters(this.registry));
	}

	@Test
	void firstRequestMintsAndTheNextAreServedFromMemory() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.store.reads = 0;
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(this.tokens.serve(scope("Packit", "OGR"), Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(this.gitHub.minted).hasSize(1);
		assertThat(this.store.reads).isZero();
		assertThat(served("memory")).isEqualTo(2);
	}

	@Test
	void storedTokenIsServedWithoutMintingAfterTheMemoryExpires() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.advance(Duration.ofSeconds(31));
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(this.gitHub.minted).hasSize(1);
		assertThat(served("stored")).isEqualTo(1);
	}

	@Test
	void tokenHeldIsServedWhileTheDatabaseIsDownEvenInsideItsRenewWindow() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		// Read long ago, and due for renewal: what PostgreSQL stopping found.
		this.clock.set(expiry(first).minusSeconds(20));
		this.store.failure = new DataAccessResourceFailureException("Connection refused");
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		int reads = this.store.reads;
		// Known down: the next requests do not try it again within the second.
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(this.store.reads).isEqualTo(reads);
		assertThat(this.database.isDown()).isTrue();
		assertThat(this.gitHub.minted).hasSize(1);
		assertThat(served("stale")).isEqualTo(2);
		// Not once it expired, nor when it does not last as long as the caller needs.
		assertThatExceptionOfType(DatabaseUnavailableException.class)
			.isThrownBy(() -> this.tokens.serve(OGR, Duration.ofMinutes(1), CLIENT));
		this.clock.set(expiry(first));
		assertThatExceptionOfType(DatabaseUnavailableException.class)
			.isThrownBy(() -> this.tokens.serve(OGR, Duration.ZERO, CLIENT));
	}

	@Test
	void newScopeWhileTheDatabaseIsDownGets503AndOneReadASecondFindsTheDatabaseBack() {
		TokenScope other = scope("packit", "other");
		this.store.failure = new DataAccessResourceFailureException("Connection refused");
		assertThatExceptionOfType(DatabaseUnavailableException.class)
			.isThrownBy(() -> this.tokens.serve(other, Duration.ZERO, CLIENT))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
		this.store.failure = null;
		int reads = this.store.reads;
		assertThatExceptionOfType(DatabaseUnavailableException.class)
			.isThrownBy(() -> this.tokens.serve(other, Duration.ZERO, CLIENT));
		assertThat(this.store.reads).isEqualTo(reads);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.tokens.serve(other, Duration.ZERO, CLIENT).token()).isNotNull();
		assertThat(this.database.isDown()).isFalse();
		assertThat(this.gitHub.minted).hasSize(1);
	}

	@Test
	void databaseThatDoesNotAnswerWithinItsTimeoutIsTakenAsDown() throws Exception {
		CountDownLatch hung = new CountDownLatch(1);
		try {
			long started = System.nanoTime();
			assertThatExceptionOfType(DatabaseUnavailableException.class).isThrownBy(() -> this.database.read(() -> {
				try {
					hung.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return 1;
			})).withMessageContaining("no answer within 2000 ms");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
			assertThat(this.database.isDown()).isTrue();
			assertThat(this.database.health().getStatus()).isEqualTo(Status.DOWN);
		}
		finally {
			hung.countDown();
		}
	}

	@Test
	void pastCacheTtlOneRequestReadsTheDatabaseAgainAndTheOthersAreServedMeanwhile() throws Exception {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.advance(Duration.ofSeconds(31));
		this.store.entered = new CountDownLatch(1);
		this.store.hold = new CountDownLatch(1);
		CompletableFuture<String> reader = CompletableFuture
			.supplyAsync(() -> this.tokens.serve(OGR, Duration.ZERO, CLIENT).token());
		try {
			assertThat(this.store.entered.await(10, TimeUnit.SECONDS)).isTrue();
			int reads = this.store.reads;
			assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
			assertThat(this.store.reads).isEqualTo(reads);
		}
		finally {
			this.store.hold.countDown();
		}
		assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(first);
		assertThat(served("stored")).isEqualTo(1);
		assertThat(served("memory")).isEqualTo(1);
	}

	@Test
	void tokenInTheSecondHalfOfTheRenewWindowIsRenewedByTheRequest() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first).minusSeconds(29));
		String renewed = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		assertThat(renewed).isNotEqualTo(first);
		assertThat(this.gitHub.minted).hasSize(2);
		assertThat(this.store.tokens.get(new StoredToken(OGR).key()).token()).isEqualTo(renewed);
	}

	@Test
	void tokenInTheFirstHalfOfTheRenewWindowIsServedWhileTheBackgroundRenewsIt() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first).minusSeconds(59));
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(this.gitHub.minted).hasSize(1);
		assertThat(this.recentlyAsked.due((expiresAt) -> this.rule.of(expiresAt) != RenewalRule.Freshness.FRESH, 10))
			.containsExactly(new RecentlyAsked.Due(OGR, CLIENT));
		this.tokens.refresh(OGR, CLIENT);
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isNotEqualTo(first);
		assertThat(this.gitHub.minted).hasSize(2);
		assertThat(this.registry.counter("tokman.tokens.refreshed").count()).isEqualTo(1);
	}

	@Test
	void failedRenewalOfATokenStillValidServesItStale() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first).minusSeconds(10));
		this.gitHub.fail(502);
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(served("stale")).isEqualTo(1);
	}

	@Test
	void minTtlRenewsATokenThatExpiresSoonerAndTheRestGetTheNewOne() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.advance(Duration.ofMinutes(50));
		assertThat(this.tokens.serve(OGR, Duration.ofMinutes(5), CLIENT).token()).isEqualTo(first);
		String renewed = this.tokens.serve(OGR, Duration.ofMinutes(20), CLIENT).token();
		assertThat(renewed).isNotEqualTo(first);
		assertThat(this.tokens.serve(OGR, Duration.ofMinutes(20), CLIENT).token()).isEqualTo(renewed);
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(renewed);
		assertThat(this.gitHub.minted).hasSize(2);
	}

	@Test
	void failedRenewalIsNotAnsweredWithATokenThatDoesNotLastTheMinTtl() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first).minusSeconds(10));
		this.gitHub.fail(502);
		assertThatExceptionOfType(UnexpectedAnswerException.class)
			.isThrownBy(() -> this.tokens.serve(OGR, Duration.ofMinutes(1), CLIENT))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(502));
		assertThat(this.tokens.serve(OGR, Duration.ofSeconds(5), CLIENT).token()).isEqualTo(first);
	}

	@Test
	void eachPermissionSetIsItsOwnToken() {
		TokenScope read = TokenScope.repository(OGR.repository(), Permissions.parse("contents:read"), false);
		String all = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		String readOnly = this.tokens.serve(read, Duration.ZERO, CLIENT).token();
		assertThat(readOnly).isNotEqualTo(all);
		assertThat(this.tokens.serve(read, Duration.ZERO, CLIENT).token()).isEqualTo(readOnly);
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(all);
		assertThat(this.gitHub.minted).hasSize(2);
	}

	@Test
	void gitHubSayingNoIsNeverAnsweredWithTheStaleToken() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first).minusSeconds(10));
		// The App's installation lost the repository: the token request is refused.
		this.gitHub.simulator().uninstall("packit/ogr");
		assertThatExceptionOfType(TokenRefusedException.class)
			.isThrownBy(() -> this.tokens.serve(OGR, Duration.ZERO, CLIENT));
		// The repository moved: its installation is gone, and its lookup redirects.
		this.gitHub.answer((request) -> request.getUrl().encodedPath().endsWith("/installation")
				? new MockResponse.Builder().code(301).setHeader("Location", "/repositories/4711/installation").build()
				: new MockResponse.Builder().code(404).body("{\"message\":\"Not Found\"}").build());
		assertThatExceptionOfType(RepositoryMovedException.class)
			.isThrownBy(() -> this.tokens.serve(OGR, Duration.ZERO, CLIENT));
	}

	@Test
	void failedRenewalOfAnExpiredTokenReachesTheCaller() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first));
		this.gitHub.fail(502);
		assertThatExceptionOfType(UnexpectedAnswerException.class)
			.isThrownBy(() -> this.tokens.serve(OGR, Duration.ZERO, CLIENT).token())
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(502));
	}

	@Test
	void reportedTokenIsReplacedOnceAndAnOlderReportMintsNothing() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.advance(Duration.ofSeconds(11));
		String second = this.tokens.invalidate(OGR, first, CLIENT).token();
		assertThat(second).isNotEqualTo(first);
		assertThat(this.tokens.invalidate(OGR, first, CLIENT).token()).isEqualTo(second);
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(second);
		assertThat(this.gitHub.minted).hasSize(2);
	}

	@Test
	void reportedTokenIsNeverServedStaleWhenRenewingItFails() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.advance(Duration.ofSeconds(11));
		this.gitHub.fail(502);
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> this.tokens.invalidate(OGR, first, CLIENT).token());
	}

	@Test
	void tokenReportedMomentsAfterItsMintIsNotReplacedButRetriedLater() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.advance(Duration.ofSeconds(4));
		assertThatExceptionOfType(TokenTooNewException.class)
			.isThrownBy(() -> this.tokens.invalidate(OGR, first, CLIENT))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(6)));
		assertThat(this.gitHub.minted).hasSize(1);
		this.clock.advance(Duration.ofSeconds(6));
		assertThat(this.tokens.invalidate(OGR, first, CLIENT).token()).isNotEqualTo(first);
		assertThat(this.gitHub.minted).hasSize(2);
	}

	@Test
	void clientThatSpentItsGitHubBudgetGets429AndItsTokensAreNotRenewedInTheBackground() {
		TokenService limited = tokens(2);
		limited.serve(scope("packit", "one"), Duration.ZERO, CLIENT);
		limited.serve(scope("packit", "two"), Duration.ZERO, CLIENT);
		assertThatExceptionOfType(BudgetSpentException.class)
			.isThrownBy(() -> limited.serve(scope("packit", "three"), Duration.ZERO, CLIENT))
			.satisfies((ex) -> assertThat(ex.retryAfter()).isEqualTo(Duration.ofHours(1)));
		assertThat(this.gitHub.minted).hasSize(2);
		// Served from memory: no mint, no budget.
		assertThat(limited.serve(scope("packit", "one"), Duration.ZERO, CLIENT).outcome())
			.isEqualTo(Handout.Outcome.SERVED);
		// A renewal in the background is the client's mint too: with its budget spent,
		// the token is left to the next request.
		this.clock.set(this.gitHub.expiries.get(this.gitHub.minted.get(0)).minusSeconds(59));
		limited.refresh(scope("packit", "one"), CLIENT);
		assertThat(this.gitHub.minted).hasSize(2);
		// Another client's budget is its own, in the background too.
		limited.refresh(scope("packit", "two"), TestClients.named("other"));
		assertThat(this.gitHub.minted).hasSize(3);
	}

	@Test
	void backgroundRenewalsOfAllClientsTogetherStopAtTheirCapUntilTheNextPeriod() {
		TokenService capped = tokens(TestClients.budget(0, 2, this.clock));
		List<TokenScope> scopes = List.of(scope("packit", "a"), scope("packit", "b"), scope("packit", "c"));
		scopes.forEach((scope) -> capped.serve(scope, Duration.ZERO, TestClients.named("client-" + scope)));
		this.clock.set(expiry(this.gitHub.minted.get(0)).minusSeconds(59));
		scopes.forEach((scope) -> capped.refresh(scope, TestClients.named("client-" + scope)));
		assertThat(this.gitHub.minted).hasSize(5);
		// Requests still renew: the cap is on the background only.
		this.clock.set(expiry(this.gitHub.minted.get(2)).minusSeconds(29));
		capped.serve(scopes.get(2), Duration.ZERO, CLIENT);
		assertThat(this.gitHub.minted).hasSize(6);
		this.clock.advance(Duration.ofHours(1));
		capped.refresh(scopes.get(0), CLIENT);
		assertThat(this.gitHub.minted).hasSize(7);
	}

	@Test
	void renewalReusesTheInstallationRememberedFromTheLastMint() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first).minusSeconds(1));
		this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		assertThat(this.gitHub.tokenRequests()).isEqualTo(2);
		assertThat(this.gitHub.installationLookups()).isEqualTo(1);
	}

	@Test
	void failedRenewalBacksOffAndServingTheTokenHeldDoesNotEndTheBackOff() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first).minusSeconds(59));
		this.gitHub.fail(502);
		this.tokens.refresh(OGR, CLIENT);
		assertThat(this.gitHub.tokenRequests()).isEqualTo(2);
		// Served from memory meanwhile, which once put it back on the next round.
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(this.recentlyAsked.due((expiresAt) -> true, 10)).isEmpty();
		// 10 s (give or take a fifth) after the first failure, 20 s after the second.
		this.clock.advance(Duration.ofSeconds(13));
		assertThat(this.recentlyAsked.due((expiresAt) -> true, 10)).containsExactly(new RecentlyAsked.Due(OGR, CLIENT));
		this.tokens.refresh(OGR, CLIENT);
		this.clock.advance(Duration.ofSeconds(13));
		assertThat(this.recentlyAsked.due((expiresAt) -> true, 10)).isEmpty();
		// A request in the second half of the window is served the token held, without
		// asking GitHub, while that lasts beyond the back-off.
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(this.gitHub.tokenRequests()).isEqualTo(3);
		this.clock.advance(Duration.ofSeconds(13));
		this.gitHub.heal();
		this.tokens.refresh(OGR, CLIENT);
		assertThat(this.gitHub.minted).hasSize(2);
		// A new token ends the back-off: the next failure waits 10 s again.
		this.clock.set(expiry(this.gitHub.minted.get(1)).minusSeconds(59));
		this.gitHub.fail(502);
		this.tokens.refresh(OGR, CLIENT);
		this.clock.advance(Duration.ofSeconds(13));
		assertThat(this.recentlyAsked.due((expiresAt) -> true, 10)).containsExactly(new RecentlyAsked.Due(OGR, CLIENT));
	}

	@Test
	void backOffEndsTenSecondsBeforeTheTokenHeldExpires() {
		String first = this.tokens.serve(OGR, Duration.ZERO, CLIENT).token();
		this.clock.set(expiry(first).minusSeconds(15));
		this.gitHub.fail(502);
		this.tokens.refresh(OGR, CLIENT);
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isEqualTo(first);
		assertThat(this.gitHub.tokenRequests()).isEqualTo(2);
		this.gitHub.heal();
		this.clock.set(expiry(first).minusSeconds(10));
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).token()).isNotEqualTo(first);
	}

	@Test
	void eachHandoutSaysHowItsTokenCameToBe() {
		Handout first = this.tokens.serve(OGR, Duration.ZERO, CLIENT);
		assertThat(first.outcome()).isEqualTo(Handout.Outcome.MINTED);
		assertThat(first.fingerprint()).hasSize(16).isEqualTo(Handout.fingerprint(first.token()));
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).outcome()).isEqualTo(Handout.Outcome.SERVED);
		this.clock.set(first.expiresAt().minusSeconds(10));
		Handout renewed = this.tokens.serve(OGR, Duration.ZERO, CLIENT);
		assertThat(renewed.outcome()).isEqualTo(Handout.Outcome.RENEWED);
		this.clock.advance(Duration.ofSeconds(11));
		assertThat(this.tokens.invalidate(OGR, renewed.token(), CLIENT).outcome())
			.isEqualTo(Handout.Outcome.INVALIDATED);
		this.clock.set(this.clock.instant().plus(Duration.ofMinutes(59)).plusSeconds(50));
		this.gitHub.fail(502);
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).outcome()).isEqualTo(Handout.Outcome.STALE);
		assertThat(this.tokens.serve(OGR, Duration.ZERO, CLIENT).toString()).doesNotContain(first.token().substring(4));
	}

	@Test
	void renewalRuleNamesEachStretchOfATokensLife() {
		Instant expiry = NOW.plus(Duration.ofHours(1));
		this.clock.set(expiry.minusSeconds(61));
		assertThat(this.rule.of(expiry)).isEqualTo(RenewalRule.Freshness.FRESH);
		this.clock.set(expiry.minusSeconds(60));
		assertThat(this.rule.of(expiry)).isEqualTo(RenewalRule.Freshness.RENEW_AHEAD);
		this.clock.set(expiry.minusSeconds(30));
		assertThat(this.rule.of(expiry)).isEqualTo(RenewalRule.Freshness.RENEW);
		assertThat(new RenewalRule(this.clock, Duration.ofSeconds(60), false).of(expiry.plusSeconds(20)))
			.isEqualTo(RenewalRule.Freshness.RENEW);
		this.clock.set(expiry);
		assertThat(this.rule.of(expiry)).isEqualTo(RenewalRule.Freshness.EXPIRED);
	}

	private static TokenScope scope(String owner, String repository) {
		return TokenScope.repository(new RepositoryName(owner, repository), Permissions.INSTALLATION, false);
	}

	private Instant expiry(String token) {
		return this.gitHub.expiries.get(token);
	}

	private double served(String source) {
		return this.registry.counter("tokman.tokens.served", "source", source).count();
	}

	/** Rows in a map; counts reads, to tell memory hits from database reads. */
	private static final class FakeStore implements TokenStore {

		private final Map<String, StoredToken> tokens = new ConcurrentHashMap<>();

		private int reads;

		private volatile DataAccessException failure;

		/** Counted down as a read begins; the read then waits for {@link #hold}. */
		private volatile CountDownLatch entered;

		private volatile CountDownLatch hold;

		@Override
		public Optional<StoredToken> find(TokenScope scope) {
			this.reads++;
			if (this.failure != null) {
				throw this.failure;
			}
			if (this.entered != null) {
				this.entered.countDown();
				try {
					this.hold.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return Optional.ofNullable(this.tokens.get(new StoredToken(scope).key()));
		}

		@Override
		public <T> T renewing(TokenScope scope, Function<StoredToken, T> renewal) {
			this.reads++;
			StoredToken row = new StoredToken(scope);
			return renewal.apply(this.tokens.getOrDefault(row.key(), row));
		}

		@Override
		public void save(StoredToken renewed) {
			this.tokens.put(renewed.key(), renewed);
		}

	}

}
