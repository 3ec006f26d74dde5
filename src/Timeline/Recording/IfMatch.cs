namespace Timeline.Recording;

/// <summary>The If-Match header as a stream version: "5", 5 or W/"5"; absent means "append to whatever is current".</summary>
public sealed record IfMatch(long? Version, IResult? Problem)
{
    public static IfMatch Parse(HttpRequest request)
    {
        var raw = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(raw)) return new(null, null);
        var text = raw.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        text = text.Trim('"');
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version > 0
            ? new(version, null)
            : new(null, Problems.Invalid("If-Match", $"If-Match '{raw}' is not a stream version such as \"3\"."));
    }
}
