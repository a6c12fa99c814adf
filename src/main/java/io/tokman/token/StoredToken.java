package io.tokman.token;

import java.time.Instant;

import io.tokman.github.InstallationToken;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A repository's current installation token, the durable copy that survives restarts. */
@Entity
@Table(name = "tokens")
class StoredToken {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Integer id;

	@Column(nullable = false, unique = true)
	private String repo;

	private String token;

	@Convert(converter = UtcTimestampConverter.class)
	private Instant expiresAt;

	private Long installationId;

	protected StoredToken() {
	}

	StoredToken(String repo) {
		this.repo = repo;
	}

	String repo() {
		return this.repo;
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

	void renew(String token, Instant expiresAt) {
		this.token = token;
		this.expiresAt = expiresAt;
	}

	void renew(InstallationToken minted) {
		renew(minted.token(), minted.expiresAt());
		this.installationId = minted.installationId();
	}

	@Override
	public String toString() {
		return "StoredToken[repo=" + this.repo + ", token=<redacted>, expiresAt=" + this.expiresAt + "]";
	}

}
