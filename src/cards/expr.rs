//! The expression language of Adaptive Card templates (a subset of Microsoft's Adaptive Expressions), parsed
//! once and evaluated against JSON data with the semantics of Microsoft's `adaptivecards-templating`: an
//! undefined value (a missing field) is `None`, so the template can leave `${…}` as written; `0` and `""` are
//! truthy; integer division truncates.

use serde_json::{Map, Number, Value};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal.
    Lit(Value),
    /// A name: a field of the current data, or `$root`, `$data`, `$index`.
    Name(String),
    /// `a.b`.
    Member(Box<Expr>, String),
    /// `a[i]`.
    Index(Box<Expr>, Box<Expr>),
    /// `-a`, `!a`.
    Unary(UnaryOp, Box<Expr>),
    /// `a + b`, …
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `f(a, b)`.
    Call(Func, Vec<Expr>),
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-`.
    Neg,
    /// `!`.
    Not,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `||`.
    Or,
    /// `&&`.
    And,
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
}

macro_rules! functions {
    ($($variant:ident = $name:literal, $min:literal ..= $max:literal;)*) => {
        /// The functions templates may call.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Func { $(#[doc = $name] $variant,)* }

        impl Func {
            /// Every supported function: name, fewest and most arguments.
            pub const ALL: &'static [(&'static str, Func, usize, usize)] = &[$(($name, Func::$variant, $min, $max),)*];
        }
    };
}

functions! {
    If = "if", 3..=3;
    Equals = "equals", 2..=2;
    Less = "less", 2..=2;
    LessOrEquals = "lessOrEquals", 2..=2;
    Greater = "greater", 2..=2;
    GreaterOrEquals = "greaterOrEquals", 2..=2;
    And = "and", 1..=99;
    Or = "or", 1..=99;
    Not = "not", 1..=1;
    Add = "add", 2..=2;
    Sub = "sub", 2..=2;
    Mul = "mul", 2..=2;
    Div = "div", 2..=2;
    Mod = "mod", 2..=2;
    Concat = "concat", 1..=99;
    Length = "length", 1..=1;
    Count = "count", 1..=1;
    Empty = "empty", 1..=1;
    Join = "join", 2..=2;
    FormatNumber = "formatNumber", 2..=3;
    FormatDateTime = "formatDateTime", 1..=2;
    ToUpper = "toUpper", 1..=1;
    ToLower = "toLower", 1..=1;
    Substring = "substring", 2..=3;
    Json = "json", 1..=1;
    String = "string", 1..=1;
    Int = "int", 1..=1;
    Float = "float", 1..=1;
}

/// Why an expression could not be parsed (at template load).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot parse `{source_text}`: {message}")]
pub struct ParseError {
    /// The expression.
    pub source_text: String,
    /// What is wrong.
    pub message: String,
}

/// Why an expression could not be evaluated (at expansion).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EvalError(pub String);

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(Number),
    Str(String),
    Ident(String),
    Op(&'static str),
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Dot,
}

const OPS: [&str; 15] = [
    "||", "&&", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "=",
];

fn lex(src: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => (tokens.push(Token::LParen), i += 1).1,
            ')' => (tokens.push(Token::RParen), i += 1).1,
            '[' => (tokens.push(Token::LBracket), i += 1).1,
            ']' => (tokens.push(Token::RBracket), i += 1).1,
            '{' => (tokens.push(Token::LBrace), i += 1).1,
            '}' => (tokens.push(Token::RBrace), i += 1).1,
            ',' => (tokens.push(Token::Comma), i += 1).1,
            ':' => (tokens.push(Token::Colon), i += 1).1,
            '.' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                (tokens.push(Token::Dot), i += 1).1
            }
            '\'' | '"' => {
                let quote = c;
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated string".into()),
                        Some('\\') => {
                            match chars.get(i + 1) {
                                Some('n') => s.push('\n'),
                                Some('t') => s.push('\t'),
                                Some(&other) => s.push(other),
                                None => return Err("unterminated string".into()),
                            }
                            i += 2;
                        }
                        Some(&ch) if ch == quote => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                    }
                }
                tokens.push(Token::Str(s));
            }
            c if c.is_ascii_digit() || c == '.' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                    i += 1;
                    if i < chars.len() && (chars[i] == '+' || chars[i] == '-') {
                        i += 1;
                    }
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let text: String = chars[start..i].iter().collect();
                let number = if let Ok(n) = text.parse::<i64>() {
                    Number::from(n)
                } else {
                    let f: f64 = text.parse().map_err(|_| format!("bad number `{text}`"))?;
                    Number::from_f64(f).ok_or_else(|| format!("bad number `{text}`"))?
                };
                tokens.push(Token::Num(number));
            }
            c if c.is_alphabetic() || c == '_' || c == '$' || c == '@' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric()
                        || chars[i] == '_'
                        || chars[i] == '$'
                        || chars[i] == '@')
                {
                    i += 1;
                }
                tokens.push(Token::Ident(chars[start..i].iter().collect()));
            }
            _ => {
                let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
                let op = OPS
                    .iter()
                    .find(|op| rest.starts_with(**op))
                    .ok_or_else(|| format!("unexpected `{c}`"))?;
                if *op == "=" {
                    return Err("`=` is not an operator; compare with `==`".into());
                }
                tokens.push(Token::Op(op));
                i += op.chars().count();
            }
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expect(&mut self, token: Token, what: &str) -> Result<(), String> {
        match self.next() {
            Some(t) if t == token => Ok(()),
            _ => Err(format!("expected {what}")),
        }
    }

    /// Comma-separated items up to and including `close`.
    fn list<T>(
        &mut self,
        close: Token,
        what: &str,
        mut item: impl FnMut(&mut Self) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        let mut items = Vec::new();
        if self.peek() != Some(&close) {
            loop {
                items.push(item(self)?);
                if self.peek() == Some(&Token::Comma) {
                    self.pos += 1;
                } else {
                    break;
                }
            }
        }
        self.expect(close, what)?;
        Ok(items)
    }

    fn binary_op(&self) -> Option<(BinaryOp, u8)> {
        let Some(Token::Op(op)) = self.peek() else {
            return None;
        };
        Some(match *op {
            "||" => (BinaryOp::Or, 1),
            "&&" => (BinaryOp::And, 2),
            "==" => (BinaryOp::Eq, 3),
            "!=" => (BinaryOp::Ne, 3),
            "<" => (BinaryOp::Lt, 4),
            "<=" => (BinaryOp::Le, 4),
            ">" => (BinaryOp::Gt, 4),
            ">=" => (BinaryOp::Ge, 4),
            "+" => (BinaryOp::Add, 5),
            "-" => (BinaryOp::Sub, 5),
            "*" => (BinaryOp::Mul, 6),
            "/" => (BinaryOp::Div, 6),
            "%" => (BinaryOp::Mod, 6),
            _ => return None,
        })
    }

    fn expr(&mut self, min: u8) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while let Some((op, precedence)) = self.binary_op() {
            if precedence < min {
                break;
            }
            self.pos += 1;
            let right = self.expr(precedence + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(Token::Op("-")) => {
                self.pos += 1;
                Ok(Expr::Unary(UnaryOp::Neg, Box::new(self.unary()?)))
            }
            Some(Token::Op("!")) => {
                self.pos += 1;
                Ok(Expr::Unary(UnaryOp::Not, Box::new(self.unary()?)))
            }
            Some(Token::Op("+")) => {
                self.pos += 1;
                self.unary()
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<Expr, String> {
        let mut e = self.primary()?;
        loop {
            match self.peek() {
                Some(Token::Dot) => {
                    self.pos += 1;
                    match self.next() {
                        Some(Token::Ident(name)) => e = Expr::Member(Box::new(e), name),
                        _ => return Err("expected a name after `.`".into()),
                    }
                }
                Some(Token::LBracket) => {
                    self.pos += 1;
                    let index = self.expr(0)?;
                    self.expect(Token::RBracket, "`]`")?;
                    e = Expr::Index(Box::new(e), Box::new(index));
                }
                _ => return Ok(e),
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Token::Num(n)) => Ok(Expr::Lit(Value::Number(n))),
            Some(Token::Str(s)) => Ok(Expr::Lit(Value::String(s))),
            Some(Token::LParen) => {
                let e = self.expr(0)?;
                self.expect(Token::RParen, "`)`")?;
                Ok(e)
            }
            Some(Token::LBracket) => {
                let items = self.list(Token::RBracket, "`]`", |p| literal(p.expr(0)?))?;
                Ok(Expr::Lit(Value::Array(items)))
            }
            Some(Token::LBrace) => {
                let entries = self.list(Token::RBrace, "`}`", |p| {
                    let key = match p.next() {
                        Some(Token::Str(s) | Token::Ident(s)) => s,
                        _ => return Err("expected a key".into()),
                    };
                    p.expect(Token::Colon, "`:`")?;
                    Ok((key, literal(p.expr(0)?)?))
                })?;
                Ok(Expr::Lit(Value::Object(
                    entries.into_iter().collect::<Map<_, _>>(),
                )))
            }
            Some(Token::Ident(name)) => match name.as_str() {
                "true" => Ok(Expr::Lit(Value::Bool(true))),
                "false" => Ok(Expr::Lit(Value::Bool(false))),
                "null" => Ok(Expr::Lit(Value::Null)),
                _ if self.peek() == Some(&Token::LParen) => {
                    self.pos += 1;
                    let (_, func, min, max) = Func::ALL
                        .iter()
                        .find(|(n, ..)| *n == name)
                        .copied()
                        .ok_or_else(|| format!("the function `{name}` is not supported"))?;
                    let args = self.list(Token::RParen, "`)`", |p| p.expr(0))?;
                    if args.len() < min || args.len() > max {
                        return Err(format!(
                            "`{name}` takes {min} to {max} arguments, not {}",
                            args.len()
                        ));
                    }
                    Ok(Expr::Call(func, args))
                }
                _ => Ok(Expr::Name(name)),
            },
            Some(other) => Err(format!("unexpected {other:?}")),
            None => Err("unexpected end".into()),
        }
    }
}

/// Array and object literals may hold only constants.
fn literal(e: Expr) -> Result<Value, String> {
    match e {
        Expr::Lit(v) => Ok(v),
        Expr::Unary(UnaryOp::Neg, inner) => match *inner {
            Expr::Lit(Value::Number(n)) => Ok(num(-n.as_f64().unwrap_or(0.0))),
            _ => Err("array and object literals hold constants only".into()),
        },
        _ => Err("array and object literals hold constants only".into()),
    }
}

/// Parses one expression (the text between `${` and `}`).
pub fn parse(src: &str) -> Result<Expr, ParseError> {
    let fail = |message: String| ParseError {
        source_text: src.to_owned(),
        message,
    };
    let tokens = lex(src).map_err(fail)?;
    if tokens.is_empty() {
        return Err(fail("empty expression".into()));
    }
    let mut parser = Parser { tokens, pos: 0 };
    let e = parser.expr(0).map_err(fail)?;
    if parser.pos != parser.tokens.len() {
        return Err(fail(format!("unexpected {:?}", parser.tokens[parser.pos])));
    }
    Ok(e)
}

/// Where names are looked up.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The current `$data`.
    pub data: &'a Value,
    /// `$root`.
    pub root: &'a Value,
    /// `$index` inside a repetition.
    pub index: Option<usize>,
}

/// A JSON number from an `f64`: integral values become integers, as JavaScript prints them.
pub fn num(f: f64) -> Value {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        Value::from(f as i64)
    } else {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

fn as_f64(v: &Value, what: &str) -> Result<f64, EvalError> {
    v.as_f64()
        .ok_or_else(|| {
            EvalError(format!(
                "{} is not a number",
                js_string(Some(v)).unwrap_or_default()
            ))
        })
        .map_err(|e| {
            if what.is_empty() {
                e
            } else {
                EvalError(format!("{what}: {}", e.0))
            }
        })
}

/// Truthiness as Adaptive Expressions has it: only `false`, `null` and undefined are false.
pub fn truthy(v: Option<&Value>) -> bool {
    !matches!(v, None | Some(Value::Null) | Some(Value::Bool(false)))
}

/// A number as JavaScript prints it.
pub fn js_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    if f.abs() >= 1e21 || (f != 0.0 && f.abs() < 1e-6) {
        let s = format!("{f:e}");
        return match s.split_once('e') {
            Some((mantissa, exp)) if !exp.starts_with('-') => format!("{mantissa}e+{exp}"),
            _ => s,
        };
    }
    f.to_string()
}

/// A value as JavaScript's `String(v)` gives it inside a template string; `None` for undefined, an error for
/// `null` (Microsoft's engine fails there too).
pub fn js_string(v: Option<&Value>) -> Option<String> {
    Some(match v? {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => js_number(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                if i.is_null() {
                    String::new()
                } else {
                    js_string(Some(i)).unwrap_or_default()
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    })
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn loose_equals(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None | Some(Value::Null), None | Some(Value::Null)) => true,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn compare(op: BinaryOp, a: Option<&Value>, b: Option<&Value>) -> Result<Value, EvalError> {
    let ordering = match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64().partial_cmp(&y.as_f64()),
        (Some(Value::String(x)), Some(Value::String(y))) => Some(x.cmp(y)),
        _ => {
            return Err(EvalError(
                "comparisons need two numbers or two strings".into(),
            ));
        }
    };
    let Some(ordering) = ordering else {
        return Ok(Value::Bool(false));
    };
    Ok(Value::Bool(match op {
        BinaryOp::Lt => ordering.is_lt(),
        BinaryOp::Le => ordering.is_le(),
        BinaryOp::Gt => ordering.is_gt(),
        _ => ordering.is_ge(),
    }))
}

fn arithmetic(op: BinaryOp, a: Option<&Value>, b: Option<&Value>) -> Result<Value, EvalError> {
    if op == BinaryOp::Add
        && (matches!(a, Some(Value::String(_))) || matches!(b, Some(Value::String(_))))
    {
        let text = |v: Option<&Value>| {
            js_string(v).ok_or_else(|| EvalError("cannot add an undefined value".into()))
        };
        return Ok(Value::String(text(a)? + &text(b)?));
    }
    let (Some(a), Some(b)) = (a, b) else {
        return Err(EvalError("arithmetic on an undefined value".into()));
    };
    let (x, y) = (as_f64(a, "")?, as_f64(b, "")?);
    Ok(match op {
        BinaryOp::Add => num(x + y),
        BinaryOp::Sub => num(x - y),
        BinaryOp::Mul => num(x * y),
        BinaryOp::Div => {
            if y == 0.0 {
                return Err(EvalError("division by zero".into()));
            }
            if x.fract() == 0.0 && y.fract() == 0.0 {
                num((x / y).trunc())
            } else {
                num(x / y)
            }
        }
        _ => {
            if y == 0.0 {
                return Err(EvalError("division by zero".into()));
            }
            num(x % y)
        }
    })
}

impl Expr {
    /// Evaluates the expression; `Ok(None)` is undefined (a missing field).
    pub fn eval(&self, scope: &Scope<'_>) -> Result<Option<Value>, EvalError> {
        match self {
            Expr::Lit(v) => Ok(Some(v.clone())),
            Expr::Name(name) => Ok(match name.as_str() {
                "$root" => Some(scope.root.clone()),
                "$data" => Some(scope.data.clone()),
                "$index" => scope.index.map(Value::from),
                _ => scope.data.get(name).cloned(),
            }),
            Expr::Member(target, name) => {
                Ok(target.eval(scope)?.and_then(|v| v.get(name).cloned()))
            }
            Expr::Index(target, index) => {
                let (Some(target), Some(index)) = (target.eval(scope)?, index.eval(scope)?) else {
                    return Ok(None);
                };
                match (&target, &index) {
                    (Value::Array(items), Value::Number(n)) => {
                        let i = n.as_f64().unwrap_or(-1.0);
                        if i < 0.0 || i as usize >= items.len() || i.fract() != 0.0 {
                            return Err(EvalError(format!(
                                "index {} is out of range",
                                js_number(n)
                            )));
                        }
                        Ok(Some(items[i as usize].clone()))
                    }
                    (Value::Object(map), Value::String(key)) => Ok(map.get(key).cloned()),
                    _ => Ok(None),
                }
            }
            Expr::Unary(UnaryOp::Not, e) => Ok(Some(Value::Bool(!truthy(e.eval(scope)?.as_ref())))),
            Expr::Unary(UnaryOp::Neg, e) => match e.eval(scope)? {
                Some(v) => Ok(Some(num(-as_f64(&v, "")?))),
                None => Err(EvalError("cannot negate an undefined value".into())),
            },
            Expr::Binary(op, a, b) => {
                let a = a.eval(scope)?;
                // Both sides are evaluated, as Microsoft's engine does (no short-circuit errors hidden).
                let b = b.eval(scope)?;
                let (a, b) = (a.as_ref(), b.as_ref());
                Ok(Some(match op {
                    BinaryOp::Or => Value::Bool(truthy(a) || truthy(b)),
                    BinaryOp::And => Value::Bool(truthy(a) && truthy(b)),
                    BinaryOp::Eq => Value::Bool(loose_equals(a, b)),
                    BinaryOp::Ne => Value::Bool(!loose_equals(a, b)),
                    BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                        compare(*op, a, b)?
                    }
                    _ => arithmetic(*op, a, b)?,
                }))
            }
            Expr::Call(func, args) => call(*func, args, scope),
        }
    }
}

fn call(func: Func, args: &[Expr], scope: &Scope<'_>) -> Result<Option<Value>, EvalError> {
    if func == Func::If {
        // Only the chosen branch matters, but all are evaluated as Microsoft's engine does.
        let c = args[0].eval(scope)?;
        let (yes, no) = (args[1].eval(scope)?, args[2].eval(scope)?);
        return Ok(if truthy(c.as_ref()) { yes } else { no });
    }
    let values: Vec<Option<Value>> = args
        .iter()
        .map(|a| a.eval(scope))
        .collect::<Result<_, _>>()?;
    let v = |i: usize| values.get(i).and_then(Option::as_ref);
    let text = |i: usize| -> Result<String, EvalError> {
        match v(i) {
            Some(Value::String(s)) => Ok(s.clone()),
            None | Some(Value::Null) => Ok(String::new()),
            Some(other) => Ok(js_string(Some(other)).unwrap_or_default()),
        }
    };
    let binary = |op| -> Result<Value, EvalError> {
        match op {
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => compare(op, v(0), v(1)),
            _ => arithmetic(op, v(0), v(1)),
        }
    };
    Ok(Some(match func {
        Func::If => unreachable!("handled above"),
        Func::Equals => Value::Bool(loose_equals(v(0), v(1))),
        Func::Less => binary(BinaryOp::Lt)?,
        Func::LessOrEquals => binary(BinaryOp::Le)?,
        Func::Greater => binary(BinaryOp::Gt)?,
        Func::GreaterOrEquals => binary(BinaryOp::Ge)?,
        Func::And => Value::Bool(values.iter().all(|x| truthy(x.as_ref()))),
        Func::Or => Value::Bool(values.iter().any(|x| truthy(x.as_ref()))),
        Func::Not => Value::Bool(!truthy(v(0))),
        Func::Add => binary(BinaryOp::Add)?,
        Func::Sub => binary(BinaryOp::Sub)?,
        Func::Mul => binary(BinaryOp::Mul)?,
        Func::Div => binary(BinaryOp::Div)?,
        Func::Mod => binary(BinaryOp::Mod)?,
        Func::Concat => {
            let mut out = String::new();
            for value in &values {
                match value {
                    None | Some(Value::Null) => {
                        return Err(EvalError("concat of a null value".into()));
                    }
                    Some(value) => out.push_str(&js_string(Some(value)).unwrap_or_default()),
                }
            }
            Value::String(out)
        }
        Func::Length => match v(0) {
            Some(Value::String(s)) => Value::from(utf16_len(s)),
            None | Some(Value::Null) => Value::from(0),
            _ => return Err(EvalError("length takes a string".into())),
        },
        Func::Count => match v(0) {
            Some(Value::String(s)) => Value::from(utf16_len(s)),
            Some(Value::Array(items)) => Value::from(items.len()),
            Some(Value::Object(map)) => Value::from(map.len()),
            _ => return Err(EvalError("count takes a string or an array".into())),
        },
        Func::Empty => Value::Bool(match v(0) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(items)) => items.is_empty(),
            Some(Value::Object(map)) => map.is_empty(),
            Some(_) => false,
        }),
        Func::Join => match v(0) {
            Some(Value::Array(items)) => {
                let sep = text(1)?;
                Value::String(
                    items
                        .iter()
                        .map(|i| js_string(Some(i)).unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join(&sep),
                )
            }
            _ => return Err(EvalError("join takes an array".into())),
        },
        Func::FormatNumber => {
            let n = as_f64(
                v(0).ok_or_else(|| EvalError("formatNumber of an undefined value".into()))?,
                "formatNumber",
            )?;
            let precision = v(1)
                .and_then(Value::as_u64)
                .filter(|p| *p <= 20)
                .ok_or_else(|| EvalError("formatNumber needs a precision from 0 to 20".into()))?;
            if let Some(locale) = v(2) {
                let locale = locale.as_str().unwrap_or_default().to_ascii_lowercase();
                if !matches!(locale.as_str(), "en-us" | "ko-kr" | "en" | "ko") {
                    return Err(EvalError(format!(
                        "formatNumber: unsupported locale `{locale}`"
                    )));
                }
            }
            Value::String(format_number(n, precision as usize))
        }
        Func::FormatDateTime => {
            let at = match v(0) {
                Some(Value::String(s)) => super::datetime::parse(s)?,
                _ => {
                    return Err(EvalError(
                        "formatDateTime takes an ISO 8601 timestamp".into(),
                    ));
                }
            };
            let format = match v(1) {
                None => "yyyy-MM-ddTHH:mm:ss.fffZ".to_owned(),
                Some(_) => text(1)?,
            };
            Value::String(super::datetime::format(&at, &format))
        }
        Func::ToUpper => Value::String(text(0)?.to_uppercase()),
        Func::ToLower => Value::String(text(0)?.to_lowercase()),
        Func::Substring => {
            let s: Vec<u16> = text(0)?.encode_utf16().collect();
            let start = v(1)
                .and_then(Value::as_u64)
                .ok_or_else(|| EvalError("substring needs a start".into()))?
                as usize;
            let length = match v(2) {
                Some(l) => l
                    .as_u64()
                    .ok_or_else(|| EvalError("substring needs a length".into()))?
                    as usize,
                None => s.len().saturating_sub(start),
            };
            if start + length > s.len() {
                return Err(EvalError("substring is out of range".into()));
            }
            Value::String(String::from_utf16_lossy(&s[start..start + length]))
        }
        Func::Json => match v(0) {
            Some(Value::String(s)) => {
                serde_json::from_str(s).map_err(|e| EvalError(format!("json: {e}")))?
            }
            Some(other) => other.clone(),
            None => return Err(EvalError("json of an undefined value".into())),
        },
        Func::String => Value::String(match v(0) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(value @ (Value::Object(_) | Value::Array(_))) => value.to_string(),
            Some(value) => js_string(Some(value)).unwrap_or_default(),
        }),
        Func::Int | Func::Float => {
            let n = match v(0) {
                Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
                Some(Value::String(s)) => s
                    .trim()
                    .parse::<f64>()
                    .map_err(|_| EvalError(format!("`{s}` is not a number")))?,
                _ => {
                    return Err(EvalError(
                        "int and float take a number or a numeric string".into(),
                    ));
                }
            };
            if func == Func::Int {
                num(n.trunc())
            } else {
                num(n)
            }
        }
    }))
}

/// `formatNumber`: fixed decimals, thousands separators, ties away from zero, a Unicode minus sign (as
/// `Intl.NumberFormat('en-US')` does in Microsoft's engine).
pub fn format_number(n: f64, precision: usize) -> String {
    let scale = 10f64.powi(precision as i32);
    let scaled = n * scale;
    let fixed = if (scaled.fract().abs() - 0.5).abs() < f64::EPSILON * scaled.abs().max(1.0) {
        format!("{:.*}", precision, scaled.round() / scale)
    } else {
        format!("{:.*}", precision, n)
    };
    let (negative, digits) = match fixed.strip_prefix('-') {
        Some(rest) => (rest.chars().any(|c| c.is_ascii_digit() && c != '0'), rest),
        None => (false, fixed.as_str()),
    };
    let (int_part, frac_part) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let grouped = super::kit::group_thousands(int_part);
    let mut out = if negative {
        format!("\u{2212}{grouped}")
    } else {
        grouped
    };
    if let Some(frac) = frac_part {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(src: &str, data: Value) -> Option<Value> {
        let e = parse(src).unwrap_or_else(|e| panic!("{e}"));
        e.eval(&Scope {
            data: &data,
            root: &data,
            index: None,
        })
        .unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    #[test]
    fn precedence_and_types() {
        assert_eq!(eval("1 + 2 * 3", json!({})), Some(json!(7)));
        assert_eq!(eval("7 / 2", json!({})), Some(json!(3)));
        assert_eq!(eval("7.5 / 2", json!({})), Some(json!(3.75)));
        assert_eq!(eval("-x", json!({"x": 3})), Some(json!(-3)));
        assert_eq!(eval("'a' + 'b'", json!({})), Some(json!("ab")));
        assert_eq!(
            eval("x == 'a' && y", json!({"x": "a", "y": true})),
            Some(json!(true))
        );
        assert_eq!(
            eval("a.b[1].c", json!({"a": {"b": [{}, {"c": "deep"}]}})),
            Some(json!("deep"))
        );
        assert_eq!(eval("missing.field", json!({})), None);
    }

    #[test]
    fn optional_arguments_may_be_left_out() {
        assert_eq!(
            eval("formatDateTime('2026-01-01T00:00:00Z')", json!({})),
            Some(json!("2026-01-01T00:00:00.000Z"))
        );
        assert_eq!(eval("substring('hello', 2)", json!({})), Some(json!("llo")));
        assert_eq!(
            eval("formatNumber(1234.5, 1)", json!({})),
            Some(json!("1,234.5"))
        );
    }

    #[test]
    fn unsupported_functions_fail_at_parse() {
        let e = parse("frobnicate(1)").expect_err("unknown function");
        assert!(e.message.contains("`frobnicate` is not supported"), "{e}");
        assert!(
            parse("if(1, 2)")
                .expect_err("arity")
                .message
                .contains("takes 3 to 3")
        );
        assert!(parse("a = 1").is_err());
        assert!(parse("").is_err());
        assert!(parse("(1").is_err());
    }

    #[test]
    fn numbers_print_like_javascript() {
        for (n, text) in [
            (json!(6), "6"),
            (json!(1.5), "1.5"),
            (json!(1e21), "1e+21"),
            (json!(0.1 + 0.2), "0.30000000000000004"),
            (json!(2.0), "2"),
        ] {
            assert_eq!(js_string(Some(&n)).as_deref(), Some(text), "{n}");
        }
    }

    #[test]
    fn format_number_cases() {
        for (n, p, text) in [
            (1234567.891, 2, "1,234,567.89"),
            (0.5, 0, "1"),
            (1.005, 2, "1.00"),
            (-1234.5, 1, "\u{2212}1,234.5"),
            (12.0, 2, "12.00"),
            (999.0, 0, "999"),
            (-0.001, 2, "0.00"),
        ] {
            assert_eq!(format_number(n, p), text, "{n} {p}");
        }
    }
}
