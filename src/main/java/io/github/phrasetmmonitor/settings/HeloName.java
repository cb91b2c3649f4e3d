package io.github.phrasetmmonitor.settings;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name the monitor greets the SMTP server with ({@code EHLO}, JavaMail's {@code mail.smtp.localhost}): the
 * setting {@code alert.email.helo-name}, or else this machine's fully qualified name. Left to itself, JavaMail says
 * what {@code InetAddress.getLocalHost().getCanonicalHostName()} gives, which in a container is often
 * {@code localhost}, and servers that check the name (Postfix's {@code reject_non_fqdn_helo_hostname}) refuse that,
 * at {@code RCPT TO}, for every recipient. So a name with a dot that is not a localhost name wins; when the machine
 * has none, its address as an address literal ({@code [192.0.2.10]}, which RFC 5321 allows and such checks accept);
 * only when it has no address either, a short name, and {@code localhost} last.
 */
public final class HeloName {

    private static final Pattern HOST = Pattern.compile(
            "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
    private static final Pattern LITERAL = Pattern.compile("\\[(?:\\d{1,3}\\.){3}\\d{1,3}]|\\[IPv6:[0-9a-fA-F:.]+]");

    private HeloName() {
    }

    /** The setting as given, when it is a host name or an address literal; empty stays empty (the default). */
    static String check(String configured) {
        String name = configured == null ? "" : configured.trim();
        if (!name.isEmpty() && !HOST.matcher(name).matches() && !LITERAL.matcher(name).matches()) {
            throw new InvalidSettingsException("alert.email.helo-name is not a host name or an address literal"
                    + " like [192.0.2.10]: '" + name + "'");
        }
        return name;
    }

    /** The setting, or this machine's best name (see the class comment). Asks the resolver; call it once. */
    public static String of(String configured) {
        String name = check(configured);
        if (!name.isEmpty()) {
            return name;
        }
        List<String> names = new ArrayList<>();
        List<InetAddress> addresses = new ArrayList<>();
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getCanonicalHostName());
            names.add(local.getHostName());
            addresses.add(local);
        } catch (UnknownHostException e) {
            // no name for this host: its interfaces' addresses remain
        }
        try {
            Enumeration<NetworkInterface> networks = NetworkInterface.getNetworkInterfaces();
            for (NetworkInterface network : networks == null ? List.<NetworkInterface>of()
                    : Collections.list(networks)) {
                addresses.addAll(Collections.list(network.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interfaces to list: the names found so far
        }
        return choose(names, addresses);
    }

    /** The best of what the machine says about itself: a fully qualified name, an address literal, a short name. */
    static String choose(List<String> names, List<InetAddress> addresses) {
        Optional<String> qualified = names.stream().filter(HeloName::usable)
                .filter(host -> host.contains(".") && !host.endsWith(".")).findFirst();
        if (qualified.isPresent()) {
            return qualified.get();
        }
        Optional<String> literal = addresses.stream().filter(address -> address instanceof Inet4Address)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress()
                        && !address.isAnyLocalAddress())
                .map(address -> "[" + address.getHostAddress() + "]").findFirst();
        if (literal.isPresent()) {
            return literal.get();
        }
        return names.stream().filter(HeloName::usable).findFirst().orElse("localhost");
    }

    /** A host name that names this machine to others: not a localhost name, nor an address in disguise. */
    private static boolean usable(String name) {
        if (name == null || name.isBlank() || !HOST.matcher(name).matches() || name.matches("[0-9.]+")) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.equals("localhost") && !lower.startsWith("localhost.") && !lower.endsWith(".localhost")
                && !lower.endsWith(".localdomain") && !lower.equals("localhost6");
    }
}
