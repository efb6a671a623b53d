namespace MiniGptMed.DicomNode.Administration;

/// <summary>How a change ended. Only <see cref="ChangeStatus.Done"/> wrote anything.</summary>
public enum ChangeStatus
{
    Done,

    /// <summary>A field is wrong (<see cref="ChangeOutcome{T}.Errors"/> names each); nothing written.</summary>
    Invalid,

    /// <summary>No item of that name; nothing written.</summary>
    NotFound,

    /// <summary>The item is in use (a listening AE's rule, a running study, unfinished jobs) and force was not given; nothing written.</summary>
    InUse,
}

/// <summary>The result of an add, update or remove: the item as stored (before, for a remove), or why nothing changed.</summary>
public sealed record ChangeOutcome<T>(ChangeStatus Status, T? Value, IReadOnlyList<FieldError> Errors) where T : class
{
    public bool Succeeded => Status == ChangeStatus.Done;
}

/// <summary>Makes <see cref="ChangeOutcome{T}"/>s.</summary>
public static class ChangeOutcome
{
    public static ChangeOutcome<T> Done<T>(T value) where T : class => new(ChangeStatus.Done, value, []);

    public static ChangeOutcome<T> Invalid<T>(IReadOnlyList<FieldError> errors) where T : class => new(ChangeStatus.Invalid, null, errors);

    public static ChangeOutcome<T> NotFound<T>(string field, string message) where T : class => new(ChangeStatus.NotFound, null, [new FieldError(field, message)]);

    public static ChangeOutcome<T> InUse<T>(IReadOnlyList<FieldError> reasons) where T : class => new(ChangeStatus.InUse, null, reasons);
}
