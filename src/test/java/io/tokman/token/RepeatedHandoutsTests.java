package io.tokman.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.tokman.github.Permissions;
import io.tokman.github.RepositoryName;
import io.tokman.github.TokenScope;
import io.tokman.simulator.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedHandoutsTests {

	private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private final List<RepeatedHandouts.Summary> written = new ArrayList<>();

	private final RepeatedHandouts repeats = new RepeatedHandouts(1000, this.clock, Duration.ZERO, this.written::add);

	private final TokenScope ogr = TokenScope.repository(new RepositoryName("packit", "ogr"), Permissions.INSTALLATION,
			false);

	@Test
	void aTokenIsFirstOncePerClientAndAddressAndItsRepeatsAreSummedUpPerClientAndScope() {
		Handout token = token("ghs_one");
		assertThat(this.repeats.first("worker", "10.0.0.1", this.ogr, token)).isTrue();
		for (int i = 0; i < 4; i++) {
			this.clock.advance(Duration.ofSeconds(10));
			assertThat(this.repeats.first("worker", "10.0.0.1", this.ogr, token)).isFalse();
		}
		assertThat(this.repeats.first("worker", "10.0.0.2", this.ogr, token)).as("another address").isTrue();
		assertThat(this.repeats.first("other", "10.0.0.1", this.ogr, token)).as("another client").isTrue();
		Handout renewed = token("ghs_two");
		assertThat(this.repeats.first("worker", "10.0.0.1", this.ogr, renewed)).as("a new token").isTrue();
		assertThat(this.repeats.first("worker", "10.0.0.2", this.ogr, renewed)).isTrue();
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.repeats.first("worker", "10.0.0.2", this.ogr, renewed)).isFalse();

		List<RepeatedHandouts.Summary> summaries = this.repeats.summarize();

		assertThat(summaries).isEqualTo(this.written).hasSize(1);
		RepeatedHandouts.Summary summary = summaries.get(0);
		assertThat(summary.client()).isEqualTo("worker");
		assertThat(summary.scope()).isEqualTo(this.ogr);
		assertThat(summary.count()).isEqualTo(5);
		assertThat(summary.first()).isEqualTo(START.plusSeconds(10));
		assertThat(summary.last()).isEqualTo(START.plusSeconds(45));
		assertThat(summary.token()).isEqualTo(renewed);
		assertThat(summary.remoteAddress()).isEqualTo("10.0.0.2");
		assertThat(this.repeats.summarize()).as("counted again from zero").isEmpty();
		assertThat(this.repeats.first("worker", "10.0.0.1", this.ogr, token)).as("still seen").isFalse();
	}

	@Test
	void aMintedTokenIsItsOwnFirstLineAndTheScopesHandedToAClientAreKnown() {
		Handout minted = new Handout("ghs_four", START.plus(Duration.ofHours(1)), Handout.Outcome.MINTED,
				Handout.fingerprint("ghs_four"), Permissions.INSTALLATION, "selected");
		TokenScope owner = TokenScope.owner("packit", List.of(), Permissions.INSTALLATION);
		assertThat(this.repeats.first("worker", "10.0.0.1", this.ogr, minted)).isTrue();
		assertThat(this.repeats.first("worker", "10.0.0.1", this.ogr, minted.as(Handout.Outcome.SERVED))).isFalse();
		this.repeats.first("worker", "10.0.0.1", owner, token("ghs_five"));
		this.repeats.first("other", "10.0.0.1", owner, token("ghs_five"));
		assertThat(this.repeats.scopesHandedTo("worker")).containsExactlyInAnyOrder(this.ogr, owner);
		assertThat(this.repeats.scopesHandedTo("other")).containsExactly(owner);
		assertThat(this.repeats.scopesHandedTo("nobody")).isEmpty();
	}

	@Test
	void countsPendingWhenTokmanStopsAreWritten() {
		Handout token = token("ghs_three");
		this.repeats.first("worker", "10.0.0.1", this.ogr, token);
		this.repeats.first("worker", "10.0.0.1", this.ogr, token);
		this.repeats.close();
		assertThat(this.written).singleElement().satisfies((summary) -> assertThat(summary.count()).isEqualTo(1));
	}

	private Handout token(String token) {
		return new Handout(token, START.plus(Duration.ofHours(1)), Handout.Outcome.SERVED, Handout.fingerprint(token),
				Permissions.INSTALLATION, "selected");
	}

}
