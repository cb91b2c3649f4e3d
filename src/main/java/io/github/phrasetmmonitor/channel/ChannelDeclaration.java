package io.github.phrasetmmonitor.channel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.RouteTemplateParameterDefinition;

/**
 * A channel as its file declares it: a Camel route template ({@code routes/channel-<name>.camel.yaml}) whose id is
 * the channel's name and whose route starts at {@code direct:send-<name>-alert}, kamelet-style. Its parameters are
 * the channel's settings, each declared once with its meaning: {@code alert.<name>.<parameter>} (env
 * {@code ALERT_<NAME>_<PARAMETER>}); a parameter whose description starts with "Secret" is a secret.
 *
 * @param file where it was read from, for messages; empty when Camel does not know
 */
public record ChannelDeclaration(String name, String description, List<Parameter> parameters, String file,
                                 String routeConfiguration) {

    /**
     * The route configuration every channel's route uses: the one retry rule of the pipeline, which retries the step
     * that failed (the endpoint's call) by the channel's verdict, then hands the notice to the fallback.
     */
    public static final String ROUTE_CONFIGURATION = "alert-delivery";

    /** A channel declared with the route configuration every channel's route uses. */
    public ChannelDeclaration(String name, String description, List<Parameter> parameters, String file) {
        this(name, description, parameters, file, ROUTE_CONFIGURATION);
    }

    /** The first word of a secret parameter's description. */
    public static final String SECRET = "Secret";

    /** One setting of the channel. {@code defaultValue} is null when there is none. */
    public record Parameter(String name, String description, String defaultValue, boolean required, boolean secret) {
    }

    public ChannelDeclaration {
        parameters = List.copyOf(parameters);
    }

    /** The setting a parameter is read from: {@code alert.<channel>.<parameter>}. */
    public String settingKey(String parameter) {
        return "alert." + name + "." + parameter;
    }

    /** The environment variable Camel reads for the same setting. */
    public String environmentName(String parameter) {
        return settingKey(parameter).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Optional<Parameter> parameter(String parameter) {
        return parameters.stream().filter(declared -> declared.name().equals(parameter)).findFirst();
    }

    /** The route that sends one notice on this channel. */
    public static String sendUri(String channel) {
        return "direct:send-" + channel + "-alert";
    }

    /** Every channel the loaded routes declare, by name, in the order Camel read them. */
    public static Map<String, ChannelDeclaration> all(Model model) {
        Map<String, ChannelDeclaration> channels = new LinkedHashMap<>();
        for (RouteTemplateDefinition template : model.getRouteTemplateDefinitions()) {
            if (template.getRoute() == null || template.getRoute().getInput() == null
                    || !sendUri(template.getId()).equals(template.getRoute().getInput().getEndpointUri())) {
                continue;
            }
            List<Parameter> parameters = new ArrayList<>();
            for (RouteTemplateParameterDefinition parameter : template.getTemplateParameters() == null ? List.<RouteTemplateParameterDefinition>of() : template.getTemplateParameters()) {
                String meaning = parameter.getDescription() == null ? "" : parameter.getDescription().trim();
                parameters.add(new Parameter(parameter.getName(), meaning, parameter.getDefaultValue(),
                        parameter.isRequired() && parameter.getDefaultValue() == null, meaning.startsWith(SECRET)));
            }
            String file = template.getResource() == null ? "" : template.getResource().getLocation();
            channels.put(template.getId(), new ChannelDeclaration(template.getId(),
                    template.getDescription() == null ? "" : template.getDescription(), parameters,
                    file == null ? "" : file, template.getRoute().getRouteConfigurationId()));
        }
        return channels;
    }
}
