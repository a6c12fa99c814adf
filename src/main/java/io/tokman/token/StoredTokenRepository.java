package io.tokman.token;

import java.time.Instant;
import java.util.Optional;

import org.springframework.data.repository.CrudRepository;

interface StoredTokenRepository extends CrudRepository<StoredToken, Integer> {

	Optional<StoredToken> findByRepo(String repo);

	/** Compares stored UTC text, which sorts as time does. */
	Optional<StoredToken> findFirstByExpiresAtAfterOrderByExpiresAtAsc(Instant now);

}
