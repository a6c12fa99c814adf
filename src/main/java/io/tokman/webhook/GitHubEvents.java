package io.tokman.webhook;

import java.util.ArrayList;
import java.util.List;

import io.tokman.github.RepositoryName;
import io.tokman.token.InvalidRequestException;
import io.tokman.token.Revocations;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * What each of GitHub's installation events changes in what tokman serves:
 * <ul>
 * <li>{@code installation} deleted or suspend: every token of the installation is dropped
 * (revoked first where GitHub still takes it) and its id forgotten;</li>
 * <li>{@code installation} created, unsuspend: "not installed" and the ids remembered for
 * its account are forgotten; new_permissions_accepted: also its tokens are dropped, so
 * that the next ones carry the new permissions;</li>
 * <li>{@code installation_repositories} removed: the tokens of those repositories, and of
 * owner scopes that list them, are dropped; added: their "not installed" is
 * forgotten;</li>
 * <li>{@code installation_target} renamed: the ids remembered for the old and the new
 * account name are forgotten.</li>
 * </ul>
 * Any other event or action is acknowledged and ignored.
 */
@Component
final class GitHubEvents {

	static final List<String> HANDLED = List.of("installation", "installation_repositories", "installation_target");

	private final Revocations revocations;

	GitHubEvents(Revocations revocations) {
		this.revocations = revocations;
	}

	/**
	 * Applies the delivery of the App's event; whether it changed anything
	 * ({@code applied}) or not ({@code ignored}).
	 */
	String apply(String app, String event, JsonNode payload, String delivery) {
		if (!HANDLED.contains(event) || !payload.path("action").isString()) {
			return "ignored";
		}
		String action = payload.path("action").asString();
		String cause = "webhook " + event + " " + action + " delivery " + delivery;
		switch (event + "." + action) {
			case "installation.deleted", "installation.suspend" -> this.revocations.dropInstallation(app,
					installationId(payload), account(payload.path("installation")), true, cause);
			case "installation.new_permissions_accepted" -> {
				String account = account(payload.path("installation"));
				this.revocations.dropInstallation(app, installationId(payload), account, false, cause);
				this.revocations.installed(app, account, List.of(), cause);
			}
			case "installation.created", "installation.unsuspend" ->
				this.revocations.installed(app, account(payload.path("installation")), List.of(), cause);
			case "installation_repositories.removed" -> {
				String account = account(payload.path("installation"));
				this.revocations.dropRepositories(app, account,
						repositories(account, payload.path("repositories_removed")), cause);
			}
			case "installation_repositories.added" -> {
				String account = account(payload.path("installation"));
				this.revocations.installed(app, account, repositories(account, payload.path("repositories_added")),
						cause);
			}
			case "installation_target.renamed" -> {
				String from = owner(text(payload.path("changes").path("login"), "from"));
				this.revocations.installed(app, from, List.of(), cause);
				this.revocations.installed(app, account(payload), List.of(), cause);
			}
			default -> {
				return "ignored";
			}
		}
		return "applied";
	}

	private static long installationId(JsonNode payload) {
		JsonNode id = payload.path("installation").path("id");
		if (!id.isIntegralNumber()) {
			throw new InvalidRequestException("The delivery lacks installation.id");
		}
		return id.asLong();
	}

	/** The login of the node's account, a GitHub owner name. */
	private static String account(JsonNode node) {
		return owner(text(node.path("account"), "login"));
	}

	private static String owner(String login) {
		RepositoryName.checkOwner(login);
		return login;
	}

	/** The names of the repositories listed, each checked as a GitHub name. */
	private static List<String> repositories(String owner, JsonNode listed) {
		List<String> names = new ArrayList<>();
		for (JsonNode repository : listed) {
			names.add(new RepositoryName(owner, text(repository, "name")).repository());
		}
		return names;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (!value.isString()) {
			throw new InvalidRequestException("The delivery lacks " + field);
		}
		return value.asString();
	}

}
