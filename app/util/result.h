#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace wsi {

// An error for the user: one sentence that names the file, field or header and the problem, plus
// optional details (a library's own text) kept for a "details" line, never shown alone.
struct Error
{
    QString message;
    QString details;
};

// A value or an Error, in the manner of std::expected (C++23): errors travel as values, never as
// "an empty string means success".
//     Result<QSslConfiguration> r = buildTlsConfiguration(settings);
//     if (!r) return r.error();
template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    { }
    Result(Error error)
        : m_error(std::move(error))
    { }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return *m_value; }
    T& value() & { return *m_value; }
    T&& value() && { return std::move(*m_value); }
    const T& operator*() const& { return *m_value; }
    const T* operator->() const { return &*m_value; }
    T* operator->() { return &*m_value; }
    const Error& error() const { return m_error; }
    // The error's message (empty on success), for places that print it.
    QString errorMessage() const { return ok() ? QString() : m_error.message; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// Success without a value, or an Error.
template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_failed(true)
        , m_error(std::move(error))
    { }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }
    QString errorMessage() const { return ok() ? QString() : m_error.message; }

private:
    bool m_failed = false;
    Error m_error;
};

} // namespace wsi
