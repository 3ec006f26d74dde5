using System.Globalization;
using System.Text.Json;

namespace Timeline.Exchange;

/// <summary>
/// An ADaM data set as CDISC Dataset-JSON 1.1: the file's and the data set's metadata, the column metadata
/// (itemOID, name, label, dataType, length for text, targetDataType and displayFormat for dates) and the rows as
/// arrays in column order (null for missing). Written row by row to the destination.
/// </summary>
public static class AdamDatasetJson
{
    public const string Version = "1.1.0";

    public static async Task WriteAsync(AdamTable table, ExportSource source, Stream output, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        // The data's own time: reproducible, unlike the time the file happens to be written (that one is in the manifest).
        var stamp = source.CreatedFrom.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        json.WriteStartObject();
        json.WriteString("datasetJSONCreationDateTime", stamp);
        json.WriteString("datasetJSONVersion", Version);
        json.WriteString("fileOID", $"{AdamDatasets.StudyId}.{table.Name}");
        json.WriteString("dbLastModifiedDateTime", stamp);
        json.WriteString("originator", "Sarcoma treatment timeline");
        json.WriteString("studyOID", AdamDatasets.StudyId);
        json.WriteString("itemGroupOID", $"IG.{table.Name}");
        json.WriteNumber("records", table.Rows.Count);
        json.WriteString("name", table.Name);
        json.WriteString("label", table.Label);
        json.WriteStartArray("columns");
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            json.WriteStartObject();
            json.WriteString("itemOID", $"IT.{table.Name}.{column.Name}");
            json.WriteString("name", column.Name);
            json.WriteString("label", column.Label);
            switch (column.Type)
            {
                case AdamType.Text:
                    json.WriteString("dataType", "string");
                    json.WriteNumber("length", table.LengthOf(i));
                    break;
                case AdamType.Whole:
                    json.WriteString("dataType", "integer");
                    break;
                case AdamType.Date:
                    json.WriteString("dataType", "date");
                    json.WriteString("targetDataType", "integer");
                    json.WriteString("displayFormat", AdamColumn.DateFormat);
                    break;
            }
            if (column.Name is "STUDYID") json.WriteNumber("keySequence", 1);
            else if (column.Name is "USUBJID") json.WriteNumber("keySequence", 2);
            else if (column.Name is "PARAMCD") json.WriteNumber("keySequence", 3);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("rows");
        foreach (var row in table.Rows)
        {
            json.WriteStartArray();
            foreach (var value in row)
            {
                switch (value)
                {
                    case null: json.WriteNullValue(); break;
                    case int n: json.WriteNumberValue(n); break;
                    case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                    default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }
            json.WriteEndArray();
            if (json.BytesPending > 32 * 1024) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }
}
