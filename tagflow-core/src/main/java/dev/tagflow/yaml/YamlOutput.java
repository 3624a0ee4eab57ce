package dev.tagflow.yaml;

import java.io.Writer;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.common.SpecVersion;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.io.IOContext;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLFactoryBuilder;
import tools.jackson.dataformat.yaml.YAMLGenerator;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Every YAML Tagflow writes, written as it was with Jackson 2, so that rendered manifests, values
 * handed to Helm and the files Tagflow keeps do not change by a byte with the move to Jackson 3.
 *
 * <p>Two things differ otherwise. Jackson 3 writes infinite and NaN doubles as YAML's {@code .inf}
 * and {@code .nan} (Jackson 2: {@code Infinity}, {@code NaN}). And its YAML library writes text of
 * a leading zero and digits ({@code "0755"}, {@code "08"}) plain, as YAML 1.2 allows, where Jackson
 * 2's quoted it ({@code '0755'}): YAML 1.1 readers, which Kubernetes' is, would read {@code 0755}
 * as the octal number 493, not the text.
 */
public final class YamlOutput {

  private YamlOutput() {}

  /** A YAML mapper builder with Jackson 2's defaults and output; callers add their features. */
  public static YAMLMapper.Builder builder() {
    return YAMLMapper.builder(new Factory(YAMLFactory.builder()))
        .configureForJackson2()
        .disable(YAMLWriteFeature.USE_YAML_NONFINITE_NOTATION);
  }

  /** Jackson 3's YAML factory, making generators that quote text YAML 1.1 would read as octal. */
  private static final class Factory extends YAMLFactory {

    private static final long serialVersionUID = 1L;

    Factory(YAMLFactoryBuilder builder) {
      super(builder);
    }

    Factory(Factory source) {
      super(source);
    }

    @Override
    public YAMLFactory copy() {
      return new Factory(this);
    }

    @Override
    protected YAMLGenerator _createGenerator(ObjectWriteContext context, IOContext io, Writer out) {
      return new Generator(
          context,
          io,
          context.getStreamWriteFeatures(_streamWriteFeatures),
          context.getFormatWriteFeatures(_formatWriteFeatures),
          _quotingChecker,
          out,
          _version,
          _dumpSettings);
    }
  }

  /** Jackson 3's YAML generator, quoting what SnakeYAML 1.x's emitter quoted and its does not. */
  private static final class Generator extends YAMLGenerator {

    /** What SnakeYAML 1.x's emitter never writes plain: a zero, then digits and underscores. */
    private static final Pattern LEADING_ZERO = Pattern.compile("0[0-9_]+");

    Generator(
        ObjectWriteContext context,
        IOContext io,
        int streamFeatures,
        int yamlFeatures,
        StringQuotingChecker quoting,
        Writer out,
        SpecVersion version,
        DumpSettings settings) {
      super(context, io, streamFeatures, yamlFeatures, quoting, out, version, settings);
    }

    @Override
    protected ScalarEvent _scalarEvent(String value, ScalarStyle style) {
      return super._scalarEvent(
          value,
          style == ScalarStyle.PLAIN && LEADING_ZERO.matcher(value).matches()
              ? ScalarStyle.SINGLE_QUOTED
              : style);
    }
  }
}
