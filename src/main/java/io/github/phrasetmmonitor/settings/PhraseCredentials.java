package io.github.phrasetmmonitor.settings;

/** How the monitor proves who it is to Phrase. Secrets never appear in {@link #toString()}. */
public sealed interface PhraseCredentials {

    /** What start-up logs and problem messages may say about these credentials. */
    String describe();

    /** A long-lived API token, sent as is. */
    record ApiToken(String token) implements PhraseCredentials {
        @Override
        public String describe() {
            return "API token (phrase.api-token)";
        }

        @Override
        public String toString() {
            return "ApiToken[****]";
        }
    }

    /** A Phrase user whose 24-hour session token comes from {@code POST /api2/v1/auth/login}. */
    record UserLogin(String userName, String password) implements PhraseCredentials {
        @Override
        public String describe() {
            return "login as user '" + userName + "' (phrase.username, phrase.password)";
        }

        @Override
        public String toString() {
            return "UserLogin[userName=" + userName + ", password=****]";
        }
    }

    /**
     * A Phrase Platform API token, exchanged at the Phrase IDM ({@code phrase.idm-url}) for an access token of about
     * four hours that is sent as {@code Authorization: Bearer <access_token>}.
     */
    record PlatformToken(String token, String idmUrl) implements PhraseCredentials {
        @Override
        public String describe() {
            return "Phrase Platform token (phrase.platform-token) exchanged at " + idmUrl;
        }

        @Override
        public String toString() {
            return "PlatformToken[****, idmUrl=" + idmUrl + "]";
        }
    }
}
