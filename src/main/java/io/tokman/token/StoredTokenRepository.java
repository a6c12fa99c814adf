package io.tokman.token;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.CrudRepository;
import org.springframework.transaction.annotation.Transactional;

interface StoredTokenRepository extends CrudRepository<StoredToken, Integer> {

	Optional<StoredToken> findByRepo(String repo);

	/** Bounds this transaction's waits for row locks (PostgreSQL only). */
	@Query(value = "SELECT set_config('lock_timeout', :milliseconds, true)", nativeQuery = true)
	String lockTimeout(String milliseconds);

	/** Makes sure the row exists, so that it can be locked; no-op when it does. */
	@Transactional
	@Modifying
	@Query(value = "INSERT INTO tokens (repo) VALUES (:repo) ON CONFLICT (repo) DO NOTHING", nativeQuery = true)
	void insertIfAbsent(String repo);

	/**
	 * Stores a repository's token in one statement, whether its row exists or not (far
	 * cheaper than loading and merging the entity when a burst of renewals writes),
	 * unless the row holds one that expires later: another process's renewal, or a write
	 * retried after a newer one, never replaces a newer token.
	 */
	@Transactional
	@Modifying
	@Query(value = "INSERT INTO tokens (repo, token, expires_at, installation_id)"
			+ " VALUES (:repo, :token, :expiresAt, :installationId) ON CONFLICT (repo) DO UPDATE"
			+ " SET token = excluded.token, expires_at = excluded.expires_at,"
			+ " installation_id = excluded.installation_id"
			+ " WHERE tokens.expires_at IS NULL OR tokens.expires_at <= excluded.expires_at", nativeQuery = true)
	void upsert(String repo, String token, String expiresAt, long installationId);

	/**
	 * Claims the repository's renewal lease for {@code owner} until {@code until}, in one
	 * statement whether its row exists or not, if nobody else holds it or theirs ran out
	 * by {@code now}; 1 if claimed.
	 */
	@Transactional
	@Modifying
	@Query(value = "INSERT INTO tokens (repo, lease_owner, lease_until) VALUES (:repo, :owner, :until)"
			+ " ON CONFLICT (repo) DO UPDATE SET lease_owner = excluded.lease_owner,"
			+ " lease_until = excluded.lease_until WHERE tokens.lease_owner IS NULL"
			+ " OR tokens.lease_owner = excluded.lease_owner OR tokens.lease_until < :now", nativeQuery = true)
	int claimLease(String repo, String owner, String until, String now);

	/** Gives the row's renewal lease up, if {@code owner} still holds it. */
	@Transactional
	@Modifying
	@Query(value = "UPDATE tokens SET lease_owner = NULL, lease_until = NULL WHERE repo = :repo"
			+ " AND lease_owner = :owner", nativeQuery = true)
	int releaseLease(String repo, String owner);

	/**
	 * Reads the row and locks it until the transaction ends:
	 * {@code SELECT ... FOR UPDATE}.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select t from StoredToken t where t.repo = :repo")
	StoredToken findForUpdate(String repo);

	/** Compares stored UTC text, which sorts as time does. */
	Optional<StoredToken> findFirstByExpiresAtAfterOrderByExpiresAtAsc(Instant now);

}
