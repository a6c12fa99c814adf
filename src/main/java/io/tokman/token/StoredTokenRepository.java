package io.tokman.token;

import java.util.Optional;

import org.springframework.data.repository.CrudRepository;

interface StoredTokenRepository extends CrudRepository<StoredToken, Integer> {

	Optional<StoredToken> findByRepo(String repo);

}
