package io.tokman.access;

import java.time.Instant;

import io.tokman.simulator.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class GitHubBudgetTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T10:00:00Z"));

	@Test
	void aClientsBudgetIsKeptPerAppAsEachAppsRateLimitIsItsOwn() {
		GitHubBudget budget = TestClients.budget(1, 0, this.clock);
		Client worker = TestClients.named("worker");
		budget.spend(worker, "");
		assertThatExceptionOfType(BudgetSpentException.class).isThrownBy(() -> budget.spend(worker, ""));
		assertThatNoException().isThrownBy(() -> budget.spend(worker, "777"));
		assertThatExceptionOfType(BudgetSpentException.class).isThrownBy(() -> budget.spend(worker, "777"));
	}

}
