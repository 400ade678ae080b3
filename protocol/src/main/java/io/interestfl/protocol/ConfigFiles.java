package io.interestfl.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the per-role YAML configuration files (coordinator, client node): kebab-case keys, unknown
 * keys are errors that name the key and its line, so a typo never silently falls back to a default.
 */
public final class ConfigFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigFiles() {}

  public static <T> T readYaml(Path file, Class<T> type) {
    T config;
    try {
      config = YAML.readValue(Files.readString(file), type);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(file + ": unknown key '" + e.getPropertyName() + "' at line "
          + e.getLocation().getLineNr() + " (known keys: " + e.getKnownPropertyIds() + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    if (config == null) {
      throw new IllegalArgumentException(file + ": empty configuration");
    }
    return config;
  }
}
