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

/**
 * A scope's current installation token, the durable copy that survives restarts. A row is
 * keyed by the scope's columns: its kind, owner and repositories in lower case (GitHub's
 * names are case-insensitive), and the permissions asked for, normalised.
 */
@Entity
@Table(name = "tokens")
class StoredToken {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Integer id;

	@Column(nullable = false)
	private String kind;

	@Column(nullable = false)
	private String owner;

	@Column(nullable = false)
	private String repositories;

	@Column(nullable = false)
	private String permissions;

	private String token;

	@Convert(converter = UtcTimestampConverter.class)
	private Instant expiresAt;

	private Long installationId;

	/** What GitHub granted, in {@link Permissions#text()} form; null if not known. */
	private String grantedPermissions;

	private String repositorySelection;

	protected StoredToken() {
	}

	StoredToken(TokenScope scope) {
		this.kind = scope.kind().name().toLowerCase(Locale.ROOT);
		this.owner = scope.owner().toLowerCase(Locale.ROOT);
		this.repositories = String.join(",", scope.repositories()).toLowerCase(Locale.ROOT);
		this.permissions = scope.permissions().text();
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

	/** The row's key as one string: {@code repository:packit/ogr#contents:read}. */
	String key() {
		return this.kind + ":" + this.owner + "/" + this.repositories + "#" + this.permissions;
	}

	String token() {
		return this.token;
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
		this.token = token;
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
		return "StoredToken[" + key() + ", token=<redacted>, expiresAt=" + this.expiresAt + "]";
	}

}
