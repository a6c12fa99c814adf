package io.tokman.token;

import java.time.Instant;
import java.util.Locale;

import io.tokman.github.InstallationToken;
import io.tokman.github.Permissions;
import io.tokman.github.TokenScope;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

/**
 * A scope's current installation token, the durable copy that survives restarts. A row is
 * keyed by the scope's columns: its kind, owner and repositories in lower case (GitHub's
 * names are case-insensitive), and the permissions asked for, normalised.
 *
 * <p>
 * The token is stored sealed ({@link TokenCipher}), with the id of its key; the stores
 * {@link #open} a row they read and {@link #seal} one they write, and {@link #token()} is
 * the token in the clear, null if it does not open.
 */
@Entity
@Table(name = "tokens")
class StoredToken {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Integer id;

	/** The App that mints it: its id, "" for the App the original settings name. */
	@Column(nullable = false)
	private String app;

	@Column(nullable = false)
	private String kind;

	@Column(nullable = false)
	private String owner;

	@Column(nullable = false)
	private String repositories;

	@Column(nullable = false)
	private String permissions;

	/** The token sealed; in the clear in rows stored before tokens were sealed. */
	private String token;

	/** The id of the key the token is sealed under; null in rows from before. */
	private String tokenKey;

	@Transient
	private String plain;

	@Convert(converter = UtcTimestampConverter.class)
	private Instant expiresAt;

	private Long installationId;

	/** What GitHub granted, in {@link Permissions#text()} form; null if not known. */
	private String grantedPermissions;

	private String repositorySelection;

	protected StoredToken() {
	}

	StoredToken(TokenScope scope) {
		this.app = scope.app();
		this.kind = scope.kind().name().toLowerCase(Locale.ROOT);
		this.owner = scope.owner().toLowerCase(Locale.ROOT);
		this.repositories = String.join(",", scope.repositories()).toLowerCase(Locale.ROOT);
		this.permissions = scope.permissions().text();
	}

	Integer id() {
		return this.id;
	}

	String app() {
		return this.app;
	}

	String kind() {
		return this.kind;
	}

	String owner() {
		return this.owner;
	}

	String repositories() {
		return this.repositories;
	}

	String permissions() {
		return this.permissions;
	}

	/**
	 * The row's scope as one string, {@code repository:packit/ogr#contents:read}, which
	 * its sealed token is bound to; with {@link #app()} the row's key.
	 */
	String key() {
		return key(this.kind, this.owner, this.repositories, this.permissions);
	}

	static String key(String kind, String owner, String repositories, String permissions) {
		return kind + ":" + owner + "/" + repositories + "#" + permissions;
	}

	/** The token in the clear; null if there is none or it does not open. */
	String token() {
		return this.plain;
	}

	String sealedToken() {
		return this.token;
	}

	String tokenKey() {
		return this.tokenKey;
	}

	/** Opens the stored token; one that does not open is as if the row held none. */
	StoredToken open(TokenCipher cipher) {
		this.plain = cipher.open(this.tokenKey, key(), this.token);
		return this;
	}

	/** Seals the token for storing, under the cipher's current key. */
	void seal(TokenCipher cipher) {
		if (this.plain == null) {
			this.token = null;
			this.tokenKey = null;
			return;
		}
		TokenCipher.Sealed sealed = cipher.seal(key(), this.plain);
		this.token = sealed.text();
		this.tokenKey = sealed.keyId();
	}

	Instant expiresAt() {
		return this.expiresAt;
	}

	Long installationId() {
		return this.installationId;
	}

	/** What GitHub granted; null for a token adopted from the original tokman's table. */
	Permissions grantedPermissions() {
		return (this.grantedPermissions != null) ? Permissions.stored(this.grantedPermissions) : null;
	}

	String grantedPermissionsText() {
		return this.grantedPermissions;
	}

	String repositorySelection() {
		return this.repositorySelection;
	}

	void renew(String token, Instant expiresAt) {
		this.plain = token;
		this.expiresAt = expiresAt;
	}

	void renew(InstallationToken minted) {
		renew(minted.token(), minted.expiresAt());
		this.installationId = minted.installationId();
		this.grantedPermissions = minted.permissions().text();
		this.repositorySelection = minted.repositorySelection();
	}

	@Override
	public String toString() {
		return "StoredToken[" + this.app + "@" + key() + ", token=<redacted>, expiresAt=" + this.expiresAt + "]";
	}

}
