package io.tokman.token;

import java.util.Optional;
import java.util.function.Function;

import io.tokman.github.TokenScope;

/**
 * Where tokens are stored, and how a renewal keeps other processes sharing the database
 * from renewing the same token at once: a lease on the row ({@link LeaseTokenStore},
 * SQLite files, shared or not) or the row's lock ({@link RowLockTokenStore}, replicas on
 * PostgreSQL).
 */
interface TokenStore {

	/** The scope's stored token, read without any lock. */
	Optional<StoredToken> find(TokenScope scope);

	/**
	 * Runs a renewal on the scope's row (a new one if there is none), which no other
	 * process renews meanwhile where the store coordinates processes.
	 */
	<T> T renewing(TokenScope scope, Function<StoredToken, T> renewal);

	/** Stores a renewed token; called inside {@link #renewing}. */
	void save(StoredToken renewed);

}
