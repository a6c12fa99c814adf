package io.tokman.token;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.CrudRepository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The tokens table. A row is keyed by (app, kind, owner, repositories, permissions); the
 * default methods take those columns from a {@link StoredToken} made for a scope, and
 * write times as the table stores them, so callers never spell either out.
 */
interface StoredTokenRepository extends CrudRepository<StoredToken, Integer> {

	UtcTimestampConverter TIMESTAMPS = new UtcTimestampConverter();

	String BY_KEY = "select t from StoredToken t where t.app = :app and t.kind = :kind and t.owner = :owner"
			+ " and t.repositories = :repositories and t.permissions = :permissions";

	String CONFLICT = " ON CONFLICT (app, kind, owner, repositories, permissions)";

	@Query(BY_KEY)
	Optional<StoredToken> find(String app, String kind, String owner, String repositories, String permissions);

	default Optional<StoredToken> find(StoredToken key) {
		return find(key.app(), key.kind(), key.owner(), key.repositories(), key.permissions());
	}

	/** Bounds this transaction's waits for row locks (PostgreSQL only). */
	@Query(value = "SELECT set_config('lock_timeout', :milliseconds, true)", nativeQuery = true)
	String lockTimeout(String milliseconds);

	/** Makes sure the row exists, so that it can be locked; no-op when it does. */
	@Transactional
	@Modifying
	@Query(value = "INSERT INTO tokens (app, kind, owner, repositories, permissions)"
			+ " VALUES (:app, :kind, :owner, :repositories, :permissions)" + CONFLICT + " DO NOTHING",
			nativeQuery = true)
	void insertIfAbsent(String app, String kind, String owner, String repositories, String permissions);

	default void insertIfAbsent(StoredToken key) {
		insertIfAbsent(key.app(), key.kind(), key.owner(), key.repositories(), key.permissions());
	}

	/**
	 * Stores a token in one statement, whether its row exists or not (far cheaper than
	 * loading and merging the entity when a burst of renewals writes), unless the row
	 * holds one that expires later: another process's renewal, or a write retried after a
	 * newer one, never replaces a newer token.
	 */
	@Transactional
	@Modifying
	@Query(value = "INSERT INTO tokens (app, kind, owner, repositories, permissions, token, token_key, expires_at,"
			+ " installation_id, granted_permissions, repository_selection) VALUES (:app, :kind, :owner, :repositories,"
			+ " :permissions, :token, :tokenKey, :expiresAt, :installationId, :granted, :selection)" + CONFLICT
			+ " DO UPDATE SET token = excluded.token, token_key = excluded.token_key, expires_at = excluded.expires_at,"
			+ " installation_id = excluded.installation_id, granted_permissions = excluded.granted_permissions,"
			+ " repository_selection = excluded.repository_selection"
			+ " WHERE tokens.expires_at IS NULL OR tokens.expires_at <= excluded.expires_at", nativeQuery = true)
	void upsert(String app, String kind, String owner, String repositories, String permissions, String token,
			String tokenKey, String expiresAt, Long installationId, String granted, String selection);

	/** Stores the row's sealed token. */
	default void upsert(StoredToken renewed) {
		upsert(renewed.app(), renewed.kind(), renewed.owner(), renewed.repositories(), renewed.permissions(),
				renewed.sealedToken(), renewed.tokenKey(), TIMESTAMPS.convertToDatabaseColumn(renewed.expiresAt()),
				renewed.installationId(), renewed.grantedPermissionsText(), renewed.repositorySelection());
	}

	/**
	 * Claims the row's renewal lease for {@code leaseOwner} until {@code until}, in one
	 * statement whether the row exists or not, if nobody else holds it or theirs ran out
	 * by {@code now}; 1 if claimed.
	 */
	@Transactional
	@Modifying
	@Query(value = "INSERT INTO tokens (app, kind, owner, repositories, permissions, lease_owner, lease_until)"
			+ " VALUES (:app, :kind, :owner, :repositories, :permissions, :leaseOwner, :until)" + CONFLICT
			+ " DO UPDATE SET lease_owner = excluded.lease_owner,"
			+ " lease_until = excluded.lease_until WHERE tokens.lease_owner IS NULL"
			+ " OR tokens.lease_owner = excluded.lease_owner OR tokens.lease_until < :now", nativeQuery = true)
	int claimLease(String app, String kind, String owner, String repositories, String permissions, String leaseOwner,
			String until, String now);

	default int claimLease(StoredToken key, String leaseOwner, Instant until, Instant now) {
		return claimLease(key.app(), key.kind(), key.owner(), key.repositories(), key.permissions(), leaseOwner,
				TIMESTAMPS.convertToDatabaseColumn(until), TIMESTAMPS.convertToDatabaseColumn(now));
	}

	/**
	 * Until when another process than {@code leaseOwner} holds the row's renewal lease;
	 * empty if none does. A read, so that a process waiting for a lease writes nothing
	 * until it may claim it.
	 */
	@Query(value = "SELECT lease_until FROM tokens WHERE app = :app AND kind = :kind AND owner = :owner"
			+ " AND repositories = :repositories AND permissions = :permissions"
			+ " AND lease_owner <> :leaseOwner AND lease_until IS NOT NULL", nativeQuery = true)
	Optional<String> leasedUntil(String app, String kind, String owner, String repositories, String permissions,
			String leaseOwner);

	default Optional<Instant> leasedByOthersUntil(StoredToken key, String leaseOwner) {
		return leasedUntil(key.app(), key.kind(), key.owner(), key.repositories(), key.permissions(), leaseOwner)
			.map(TIMESTAMPS::convertToEntityAttribute);
	}

	/**
	 * Extends every lease {@code leaseOwner} holds until {@code until}: the heartbeat of
	 * a live process, one statement for all its renewals.
	 */
	@Transactional
	@Modifying
	@Query(value = "UPDATE tokens SET lease_until = :until WHERE lease_owner = :leaseOwner", nativeQuery = true)
	int extendLeases(String leaseOwner, String until);

	default int extendLeases(String leaseOwner, Instant until) {
		return extendLeases(leaseOwner, TIMESTAMPS.convertToDatabaseColumn(until));
	}

	/**
	 * Gives the renewal lease of a row that holds a token up, if {@code leaseOwner} still
	 * holds it.
	 */
	@Transactional
	@Modifying
	@Query(value = "UPDATE tokens SET lease_owner = NULL, lease_until = NULL WHERE app = :app AND kind = :kind AND owner = :owner"
			+ " AND repositories = :repositories AND permissions = :permissions AND lease_owner = :leaseOwner"
			+ " AND token IS NOT NULL", nativeQuery = true)
	int releaseLease(String app, String kind, String owner, String repositories, String permissions, String leaseOwner);

	default int releaseLease(StoredToken key, String leaseOwner) {
		return releaseLease(key.app(), key.kind(), key.owner(), key.repositories(), key.permissions(), leaseOwner);
	}

	/**
	 * Removes the row if {@code leaseOwner} holds its lease and it holds no token: a
	 * renewal that ended without a token (not installed, GitHub failing) leaves nothing.
	 */
	@Transactional
	@Modifying
	@Query(value = "DELETE FROM tokens WHERE app = :app AND kind = :kind AND owner = :owner AND repositories = :repositories"
			+ " AND permissions = :permissions AND lease_owner = :leaseOwner AND token IS NULL", nativeQuery = true)
	int deleteIfTokenless(String app, String kind, String owner, String repositories, String permissions,
			String leaseOwner);

	default int deleteIfTokenless(StoredToken key, String leaseOwner) {
		return deleteIfTokenless(key.app(), key.kind(), key.owner(), key.repositories(), key.permissions(), leaseOwner);
	}

	/**
	 * Removes the rows that hold no token, or one that expired before
	 * {@code expiredBefore}, unless a renewal holds their lease: what nobody has asked
	 * for in that long.
	 */
	@Transactional
	@Modifying
	@Query(value = "DELETE FROM tokens WHERE (token IS NULL OR expires_at < :expiredBefore)"
			+ " AND (lease_until IS NULL OR lease_until < :now)", nativeQuery = true)
	int prune(String now, String expiredBefore);

	default int prune(Instant now, Instant expiredBefore) {
		return prune(TIMESTAMPS.convertToDatabaseColumn(now), TIMESTAMPS.convertToDatabaseColumn(expiredBefore));
	}

	/**
	 * Reads the row and locks it until the transaction ends:
	 * {@code SELECT ... FOR UPDATE}.
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query(BY_KEY)
	StoredToken findForUpdate(String app, String kind, String owner, String repositories, String permissions);

	default StoredToken findForUpdate(StoredToken key) {
		return findForUpdate(key.app(), key.kind(), key.owner(), key.repositories(), key.permissions());
	}

	/** Rows whose token is stored in the clear, from before tokens were sealed. */
	List<StoredToken> findByTokenIsNotNullAndTokenKeyIsNull(Limit limit);

	/** Rows whose token is sealed under one of these keys. */
	List<StoredToken> findByTokenIsNotNullAndTokenKeyIn(Collection<String> keys, Limit limit);

	/**
	 * Replaces the row's sealed token, unless a renewal replaced it meanwhile; 1 if done.
	 */
	@Transactional
	@Modifying
	@Query(value = "UPDATE tokens SET token = :sealed, token_key = :tokenKey WHERE id = :id AND token = :old",
			nativeQuery = true)
	int reseal(Integer id, String old, String sealed, String tokenKey);

	/** The rows of an owner, of every App and kind. */
	List<StoredToken> findByOwner(String owner);

	List<StoredToken> findByAppAndOwner(String app, String owner);

	List<StoredToken> findByAppAndInstallationId(String app, Long installationId);

	/** Rows holding a token, by id from {@code after} on: a scan in batches. */
	List<StoredToken> findByTokenIsNotNullAndIdGreaterThanOrderByIdAsc(Integer after, Limit limit);

	/** Deletes the row unless a renewal replaced its token meanwhile; 1 if done. */
	@Transactional
	@Modifying
	@Query(value = "DELETE FROM tokens WHERE id = :id AND token = :sealed", nativeQuery = true)
	int deleteHolding(Integer id, String sealed);

	/** Deletes the row unless a renewal stored a token in it meanwhile; 1 if done. */
	@Transactional
	@Modifying
	@Query(value = "DELETE FROM tokens WHERE id = :id AND token IS NULL", nativeQuery = true)
	int deleteTokenless(Integer id);

	/** Forgets the installation ids remembered for the App's rows of the owner. */
	@Transactional
	@Modifying
	@Query(value = "UPDATE tokens SET installation_id = NULL WHERE app = :app AND owner = :owner", nativeQuery = true)
	int forgetInstallations(String app, String owner);

	/** Compares stored UTC text, which sorts as time does. */
	Optional<StoredToken> findFirstByExpiresAtAfterOrderByExpiresAtAsc(Instant now);

}
