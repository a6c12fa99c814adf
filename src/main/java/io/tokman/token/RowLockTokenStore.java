package io.tokman.token;

import java.time.Duration;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.tokman.github.TokenScope;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A store shared by replicas: a renewal runs in a transaction holding the repository's
 * row lock ({@code SELECT ... FOR UPDATE}), so a replica that waited for it reads the
 * token the other one just minted. The lock ends with the connection if the replica dies.
 */
final class RowLockTokenStore implements TokenStore {

	private final StoredTokenRepository tokens;

	private final TransactionTemplate transactions;

	private final Duration lockTimeout;

	private final boolean postgresql;

	private final UnsavedTokens unsaved;

	private final TokenCipher cipher;

	RowLockTokenStore(StoredTokenRepository tokens, PlatformTransactionManager transactionManager, Duration lockTimeout,
			boolean postgresql, UnsavedTokens unsaved, TokenCipher cipher) {
		this.tokens = tokens;
		this.cipher = cipher;
		this.unsaved = unsaved;
		this.transactions = new TransactionTemplate(transactionManager);
		this.lockTimeout = lockTimeout;
		this.postgresql = postgresql;
	}

	@Override
	public Optional<StoredToken> find(TokenScope scope) {
		return this.tokens.find(new StoredToken(scope)).map((row) -> row.open(this.cipher));
	}

	@Override
	public <T> T renewing(TokenScope scope, Function<StoredToken, T> renewal) {
		StoredToken key = new StoredToken(scope);
		AtomicReference<StoredToken> row = new AtomicReference<>();
		AtomicReference<String> before = new AtomicReference<>();
		AtomicReference<T> result = new AtomicReference<>();
		try {
			return this.transactions.execute((status) -> {
				if (this.postgresql) {
					// A wait for another replica's lock is bounded like the wait for the
					// in-process lock; SQLite's busy timeout bounds its own.
					this.tokens.lockTimeout(Long.toString(this.lockTimeout.toMillis()));
				}
				this.tokens.insertIfAbsent(key);
				StoredToken stored = this.tokens.findForUpdate(key).open(this.cipher);
				row.set(stored);
				before.set(stored.token());
				result.set(renewal.apply(stored));
				return result.get();
			});
		}
		catch (PessimisticLockingFailureException ex) {
			throw new RenewalTimeoutException(scope.toString(), this.lockTimeout);
		}
		catch (DataAccessException | TransactionException ex) {
			if (result.get() == null) {
				throw ex;
			}
			// The renewal is done; only its write, at commit, failed. Its token is served
			// and written again later, never thrown away.
			if (!Objects.equals(before.get(), row.get().token())) {
				this.unsaved.add(row.get(), (ex instanceof DataAccessException dataAccess) ? dataAccess
						: new DataAccessResourceFailureException(ex.getMessage(), ex));
			}
			return result.get();
		}
	}

	@Override
	public void save(StoredToken renewed) {
		// Inside the renewal's transaction, which holds the row lock.
		renewed.seal(this.cipher);
		this.tokens.save(renewed);
	}

}
