using System.Globalization;
using MiniGptMed.Dicom.Data;

namespace MiniGptMed.Dicom.Composition;

/// <summary>
/// The header every object the node derives from an analysed image starts from (an SR, a Secondary Capture, a
/// presentation state): the modules that put it into the source's patient and study and start a new series, with
/// the node as its equipment. The builders add their own modules (SR Document General, image pixel, ...) to it.
/// </summary>
public static class DerivedObjectHeader
{
    /// <summary>The Specific Character Set a derived object declares when some text needs more than ASCII.</summary>
    public const string Utf8Term = "ISO_IR 192";

    // PS3.5 Table 6.2-1: LO holds at most 64 characters.
    private const int LongStringMaxCharacters = 64;

    /// <summary>
    /// Builds the header of a new object in <paramref name="source"/>'s study.
    /// </summary>
    /// <remarks>
    /// <para>Written, per PS3.3:</para>
    /// <list type="bullet">
    /// <item>Patient (C.7.1.1): Patient's Name, Patient ID, Patient's Birth Date, Patient's Sex (Type 2: empty when
    /// the source has none); Issuer of Patient ID, its Qualifiers Sequence, Patient's Birth Time, Other Patient IDs
    /// Sequence, Ethnic Group, Patient Comments when the source has them.</item>
    /// <item>General Study (C.7.2.1): Study Instance UID (the source must have it), Study Date, Study Time,
    /// Referring Physician's Name, Study ID, Accession Number (Type 2); Issuer of Accession Number Sequence, Study
    /// Description, Procedure Code Sequence when present.</item>
    /// <item>Patient Study (C.7.2.2): Patient's Age, Size, Weight when present.</item>
    /// <item>General Series (C.7.3.1): Modality, Series Instance UID, Series Number from <paramref name="identity"/>;
    /// Series Description when not empty; Series Date and Time = <paramref name="createdAt"/>.</item>
    /// <item>General Equipment (C.7.5.1): Manufacturer, Manufacturer's Model Name, Device Serial Number, Software
    /// Versions and Device UID from <paramref name="device"/>.</item>
    /// <item>SOP Common (C.12.1): SOP Class and Instance UID, Instance Number, Instance Creation Date and Time and
    /// Timezone Offset From UTC (from <paramref name="createdAt"/>'s offset), Specific Character Set.</item>
    /// </list>
    /// <para>Text is transcoded: decoded with the source's Specific Character Set and written in the new object's.
    /// The new object declares ISO_IR 192 (UTF-8) only when some text needs more than ASCII (a name in ISO 2022 IR 87,
    /// an accented description), and no Specific Character Set otherwise. A builder that adds more text calls
    /// <see cref="EnsureCharacterSetFor"/> first.</para>
    /// <para>Dates and times are written in <paramref name="createdAt"/>'s own clock (its offset is the Timezone
    /// Offset From UTC), so pass a fixed value to get the same bytes twice.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The source has no Study Instance UID, a UID of <paramref name="identity"/> is not valid (PS3.5 9.1), the
    /// modality is not a CS value, or a device or series text does not fit an LO (64 characters, no '\' or control
    /// characters). The message names the field.
    /// </exception>
    public static DicomDataset Create(DicomDataset source, DerivedObjectIdentity identity, DeviceIdentity device, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(device);
        Validate(source, identity, device);

        var header = new DicomDataset();

        // Declared first so that every value below is encoded in it; dropped at the end when all of them are ASCII.
        header.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, Utf8Term);

        // SOP Common (PS3.3 C.12.1).
        header.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, identity.SopClassUid);
        header.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, identity.SopInstanceUid);
        header.AddOrUpdate(DicomTags.InstanceCreationDate, DicomVR.DA, FormatDate(createdAt));
        header.AddOrUpdate(DicomTags.InstanceCreationTime, DicomVR.TM, FormatTime(createdAt));
        header.AddOrUpdate(DicomTags.TimezoneOffsetFromUTC, DicomVR.SH, FormatOffset(createdAt.Offset));
        header.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, identity.InstanceNumber.ToString(CultureInfo.InvariantCulture));

        // Patient (PS3.3 C.7.1.1).
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.PatientName, DicomVR.PN);
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.PatientID, DicomVR.LO);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.IssuerOfPatientID);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.IssuerOfPatientIDQualifiersSequence);
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.PatientBirthDate, DicomVR.DA);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.PatientBirthTime);
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.PatientSex, DicomVR.CS);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.OtherPatientIDsSequence);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.EthnicGroup);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.PatientComments);

        // General Study (PS3.3 C.7.2.1).
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.StudyInstanceUID);
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.StudyDate, DicomVR.DA);
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.StudyTime, DicomVR.TM);
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.ReferringPhysicianName, DicomVR.PN);
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.StudyID, DicomVR.SH);
        CrossCharacterSetCopy.CopyOrEmpty(source, header, DicomTags.AccessionNumber, DicomVR.SH);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.IssuerOfAccessionNumberSequence);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.StudyDescription);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.ProcedureCodeSequence);

        // Patient Study (PS3.3 C.7.2.2).
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.PatientAge);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.PatientSize);
        CrossCharacterSetCopy.CopyIfPresent(source, header, DicomTags.PatientWeight);

        // General Series (PS3.3 C.7.3.1): a new series of the node's.
        header.AddOrUpdate(DicomTags.Modality, DicomVR.CS, identity.Modality);
        header.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, identity.SeriesInstanceUid);
        header.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, identity.SeriesNumber.ToString(CultureInfo.InvariantCulture));
        header.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, FormatDate(createdAt));
        header.AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, FormatTime(createdAt));
        if (!string.IsNullOrEmpty(identity.SeriesDescription))
        {
            header.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, identity.SeriesDescription);
        }

        // General Equipment (PS3.3 C.7.5.1): the node, not the modality that made the source.
        header.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, device.Manufacturer);
        AddIfNotEmpty(header, DicomTags.ManufacturerModelName, DicomVR.LO, device.ModelName);
        AddIfNotEmpty(header, DicomTags.DeviceSerialNumber, DicomVR.LO, device.SerialNumber);
        AddIfNotEmpty(header, DicomTags.DeviceUID, DicomVR.UI, device.DeviceUid);
        AddIfNotEmpty(header, DicomTags.SoftwareVersions, DicomVR.LO, device.SoftwareVersion);

        if (IsAscii(header))
        {
            header.Remove(DicomTags.SpecificCharacterSet);
        }

        return header;
    }

    /// <summary>
    /// Makes <paramref name="header"/> (a data set made by <see cref="Create"/>) able to hold <paramref name="texts"/>:
    /// declares ISO_IR 192 when one of them needs more than ASCII and nothing is declared yet. What is already there
    /// is ASCII then, and ASCII is the same bytes in UTF-8 (PS3.5 6.1.2.5.4), so nothing written before changes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The data set declares another character set.</exception>
    public static void EnsureCharacterSetFor(DicomDataset header, IEnumerable<string?> texts)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.All(t => t is null || System.Text.Ascii.IsValid(t)))
        {
            return;
        }

        var declared = header.GetString(DicomTags.SpecificCharacterSet);
        if (string.IsNullOrEmpty(declared))
        {
            header.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, Utf8Term);
        }
        else if (!string.Equals(declared, Utf8Term, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The data set declares Specific Character Set '{declared}'; derived objects are written in {Utf8Term} or ASCII only.");
        }
    }

    /// <summary>DA of the instant in its own clock (PS3.5 6.2).</summary>
    public static string FormatDate(DateTimeOffset instant) => DicomValueParser.FormatDate(DateOnly.FromDateTime(instant.DateTime));

    /// <summary>TM of the instant in its own clock, to the microsecond (PS3.5 6.2).</summary>
    public static string FormatTime(DateTimeOffset instant) => DicomValueParser.FormatTime(TimeOnly.FromDateTime(instant.DateTime));

    /// <summary>DT of the instant with its offset, e.g. 20260102130500+0100 (fraction digits only when the instant has them) (PS3.5 6.2).</summary>
    public static string FormatDateTime(DateTimeOffset instant) => FormatDate(instant) + FormatTime(instant) + FormatOffset(instant.Offset);

    /// <summary>PS3.3 C.12.1.1.8: &amp;ZZXX, e.g. +0100 or -0500.</summary>
    public static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);

    private static void Validate(DicomDataset source, DerivedObjectIdentity identity, DeviceIdentity device)
    {
        if (!DicomUid.IsValid(source.GetString(DicomTags.StudyInstanceUID)))
        {
            throw new ArgumentException("The source has no valid Study Instance UID (0020,000D); a derived object must join the source's study.", nameof(source));
        }

        RequireUid(identity.SopClassUid, nameof(identity.SopClassUid));
        RequireUid(identity.SopInstanceUid, nameof(identity.SopInstanceUid));
        RequireUid(identity.SeriesInstanceUid, nameof(identity.SeriesInstanceUid));
        if (string.IsNullOrEmpty(identity.Modality) || identity.Modality.Length > 16 || !identity.Modality.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw new ArgumentException($"Modality '{identity.Modality}' is not a CS value (PS3.5 6.2: upper-case letters, digits, '_', at most 16).", nameof(identity));
        }

        RequireLongString(identity.SeriesDescription, nameof(identity.SeriesDescription));
        if (string.IsNullOrWhiteSpace(device.Manufacturer))
        {
            throw new ArgumentException("DeviceIdentity.Manufacturer is empty; General Equipment needs it (PS3.3 C.7.5.1).", nameof(device));
        }

        RequireLongString(device.Manufacturer, nameof(device.Manufacturer));
        RequireLongString(device.ModelName, nameof(device.ModelName));
        RequireLongString(device.SerialNumber, nameof(device.SerialNumber));
        RequireLongString(device.SoftwareVersion, nameof(device.SoftwareVersion));
        RequireLongString(device.Name, nameof(device.Name));
        if (!string.IsNullOrEmpty(device.DeviceUid))
        {
            RequireUid(device.DeviceUid, nameof(device.DeviceUid));
        }
    }

    private static void RequireUid(string? uid, string field)
    {
        if (!DicomUid.IsValid(uid))
        {
            throw new ArgumentException($"{field} '{uid}' is not a valid UID (PS3.5 9.1).", field);
        }
    }

    /// <summary>An LO value (PS3.5 Table 6.2-1): at most 64 characters, no '\' (the value separator), no control characters.</summary>
    internal static void RequireLongString(string? value, string field)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > LongStringMaxCharacters || value.Any(c => c == '\\' || char.IsControl(c)))
        {
            throw new ArgumentException($"{field} does not fit an LO value (PS3.5 6.2: at most 64 characters, no '\\' or control characters).", field);
        }
    }

    private static void AddIfNotEmpty(DicomDataset header, DicomTag tag, DicomVR vr, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            header.AddOrUpdate(tag, vr, value);
        }
    }

    private static bool IsAscii(DicomDataset dataset)
    {
        foreach (var element in dataset)
        {
            switch (element)
            {
                case DicomSequence sequence when sequence.Items.Any(item => !IsAscii(item)):
                    return false;
                case DicomValueElement value when value.VR.UsesSpecificCharacterSet && value.Buffer.GetMemory().Span.IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0:
                    return false;
            }
        }

        return true;
    }
}
